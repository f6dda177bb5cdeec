package org.openshard.payments.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openshard.payments.ChannelId;
import org.openshard.payments.PaymentException;

class FileChannelStoreTest extends ChannelStoreContract {
  @TempDir Path dir;

  @Override
  ChannelStore newStore() throws Exception {
    return FileChannelStore.open(dir);
  }

  @Override
  ChannelStore reopen() throws Exception {
    return FileChannelStore.open(dir);
  }

  @Test
  void filesAreOwnerOnlyAndCorruptionFailsClosed() throws Exception {
    ChannelId id = ChannelId.random();
    try (ChannelStore s = newStore()) {
      s.createIfAbsent(fresh(id, 100));
      Path f = dir.resolve(id.hex() + ".json");
      assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
      Files.writeString(f, "{\"channel\":{\"id\":\"zz\"}}", StandardCharsets.UTF_8);
      assertEquals(PaymentException.Reason.STORE_UNAVAILABLE,
          assertThrows(PaymentException.class, () -> s.find(id)).reason());
    }
  }
}
