package dev.graphgate.app;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Tells a user which port is taken and what to do, before a server fails to bind with a stack trace. */
final class Ports {

  private Ports() {}

  static void requireFree(String host, int port, String option) {
    if (port == 0) {
      return;
    }
    try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getByName(host))) {
      socket.setReuseAddress(true);
    } catch (IOException e) {
      throw new IllegalStateException(
          "port " + port + " on " + host + " is in use (another emulator or demo still running?). "
              + "Stop it, or pass " + option + " with another port, or 0 for any free port.");
    }
  }
}
