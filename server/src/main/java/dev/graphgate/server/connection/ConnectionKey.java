package dev.graphgate.server.connection;

/** How callers name a connection: the integration's unique key and the connection id. */
public record ConnectionKey(String integrationKey, String connectionId) {}
