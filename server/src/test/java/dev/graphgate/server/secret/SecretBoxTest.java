package dev.graphgate.server.secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.graphgate.server.GraphgateException;
import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.Test;

class SecretBoxTest {
  final SecureRandom random = new SecureRandom();
  final EncryptionKey oldKey = EncryptionKey.generate(random);
  final EncryptionKey newKey = EncryptionKey.generate(random);

  @Test
  void sealedValueOpensWithItsPurposeOnlyAndCarriesTheKeyId() {
    SecretBox box = new SecretBox(oldKey, List.of(), random);
    String sealed = box.seal("client-secret", "connections.credentials");
    assertThat(sealed).startsWith("gg1." + oldKey.id() + ".").doesNotContain("client-secret");
    assertThat(box.unseal(sealed, "connections.credentials")).isEqualTo("client-secret");
    assertThat(box.seal("client-secret", "connections.credentials")).as("fresh nonce each time").isNotEqualTo(sealed);
    assertThatThrownBy(() -> box.unseal(sealed, "connections.token")).isInstanceOf(SecretBox.SealedValueException.class);
  }

  @Test
  void tamperedValueIsRefused() {
    SecretBox box = new SecretBox(oldKey, List.of(), random);
    String sealed = box.seal("client-secret", "p");
    char last = sealed.charAt(sealed.length() - 5);
    String tampered = sealed.substring(0, sealed.length() - 5) + (last == 'A' ? 'B' : 'A') + sealed.substring(sealed.length() - 4);
    assertThatThrownBy(() -> box.unseal(tampered, "p")).isInstanceOf(SecretBox.SealedValueException.class)
        .hasMessageNotContaining("client-secret");
  }

  @Test
  void previousKeysStillOpenAndReportThatTheyNeedResealing() {
    String sealedWithOld = new SecretBox(oldKey, List.of(), random).seal("v", "p");
    SecretBox rotated = new SecretBox(newKey, List.of(oldKey), random);
    assertThat(rotated.unseal(sealedWithOld, "p")).isEqualTo("v");
    assertThat(rotated.needsReseal(sealedWithOld)).isTrue();
    assertThat(rotated.needsReseal(rotated.seal("v", "p"))).isFalse();
    assertThatThrownBy(() -> new SecretBox(newKey, List.of(), random).unseal(sealedWithOld, "p"))
        .isInstanceOfSatisfying(GraphgateException.EncryptionKeyUnavailable.class, e -> {
          assertThat(e.keyId()).isEqualTo(oldKey.id());
          assertThat(e.status()).isEqualTo(503);
        })
        .hasMessageContaining("GRAPHGATE_PREVIOUS_ENCRYPTION_KEYS");
    assertThat(SecretBox.keyIdOf(sealedWithOld)).contains(oldKey.id());
    assertThat(SecretBox.keyIdOf(sealedWithOld.substring(0, SecretBox.HEADER_LENGTH))).as("the header alone names the key").contains(oldKey.id());
    assertThat(SecretBox.keyIdOf("not sealed")).isEmpty();
  }

  @Test
  void keysAndSecretsPrintRedacted() {
    assertThat(oldKey.toString()).doesNotContain(oldKey.toBase64());
    assertThat(Secret.of("hunter2").toString()).isEqualTo("(redacted)");
    assertThat(new dev.graphgate.server.connection.ConnectionCredentials.ClientSecret("id", Secret.of("hunter2")).toString())
        .doesNotContain("hunter2");
  }

  @Test
  void keyMustBe32Bytes() {
    assertThatThrownBy(() -> EncryptionKey.fromBase64("c2hvcnQ=")).hasMessageContaining("32 bytes");
    assertThat(EncryptionKey.fromBase64(oldKey.toBase64()).id()).isEqualTo(oldKey.id());
  }
}
