package dev.graphgate.emulator.graph.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class IdCodecTest {

  private final IdCodec codec = new IdCodec(42, "11111111-2222-3333-4444-555555555555");

  @Test
  void everyFormDecodesBackToItsKindOwnerAndItem() {
    for (long item : new long[] {0, 1, 99_999, Keys.CREATED_BASE + 5}) {
      assertThat(codec.fromGuid(codec.guid(IdKind.USER, 0, item), IdKind.USER)).contains(new IdCodec.Parts(IdKind.USER, 0, item));
      assertThat(codec.fromOutlook(codec.outlook(IdKind.MESSAGE, 17, item), IdKind.MESSAGE)).contains(new IdCodec.Parts(IdKind.MESSAGE, 17, item));
      assertThat(codec.fromDriveItem(codec.driveItem(IdKind.USER_DRIVE_ITEM, 3, item), IdKind.USER_DRIVE_ITEM)).contains(new IdCodec.Parts(IdKind.USER_DRIVE_ITEM, 3, item));
      assertThat(codec.fromDrive(codec.drive(IdKind.SITE_DRIVE, item, 0), IdKind.SITE_DRIVE)).contains(new IdCodec.Parts(IdKind.SITE_DRIVE, item, 0));
    }
  }

  @Test
  void guidsAreVersionFourAndDistinct() {
    Set<String> ids = new HashSet<>();
    for (long i = 0; i < 10_000; i++) {
      String id = codec.guid(IdKind.USER, 0, i);
      assertThat(UUID.fromString(id).version()).isEqualTo(4);
      ids.add(id);
    }
    assertThat(ids).hasSize(10_000);
  }

  @Test
  void idsOfAnotherKindTenantOrSeedDoNotDecode() {
    String user = codec.guid(IdKind.USER, 0, 7);
    assertThat(codec.fromGuid(user, IdKind.GROUP)).isEmpty();
    assertThat(new IdCodec(42, "99999999-2222-3333-4444-555555555555").fromGuid(user, IdKind.USER)).isEmpty();
    assertThat(new IdCodec(43, "11111111-2222-3333-4444-555555555555").fromGuid(user, IdKind.USER)).isEmpty();
    assertThat(codec.fromGuid(UUID.randomUUID().toString(), IdKind.USER)).isEmpty();
    assertThat(codec.fromOutlook("AAMkA-not-base64!", IdKind.MESSAGE)).isEmpty();
    assertThat(codec.fromDriveItem("01ABCDEFGHIJKLMNOPQRSTUVWX", IdKind.USER_DRIVE_ITEM)).isEmpty();
  }
}
