package dev.ftpoperator.server;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's JNI library (src/main/c, built into the jar on Linux): the kernel's splice for
 * relays and uploads, and a directory's names with their types for listings. Whoever uses it asks
 * {@link #loaded()} first and goes the JDK's way when it says no.
 */
public final class NativeLibrary {

  private static final Logger LOG = LoggerFactory.getLogger(NativeLibrary.class);

  /** Where the build puts the library inside the jar, by platform. */
  public static final String RESOURCE = "/native/%s-%s/libftpnative.so";

  private NativeLibrary() {}

  /** Loaded once per process, when first asked for. */
  private static final class Once {
    static final boolean LOADED = load();
  }

  /** True when this platform's library is in the jar and loaded. */
  public static boolean loaded() {
    return Once.LOADED;
  }

  private static boolean load() {
    String resource =
        String.format(
            RESOURCE,
            System.getProperty("os.name").toLowerCase(Locale.ROOT),
            System.getProperty("os.arch"));
    try (InputStream library = NativeLibrary.class.getResourceAsStream(resource)) {
      if (library == null) {
        LOG.info("no native library for this platform ({}) in the jar", resource);
        return false;
      }
      // System.load needs a file; once loaded, the mapping outlives the file
      Path file = Files.createTempFile("libftpnative", ".so");
      try {
        Files.copy(library, file, StandardCopyOption.REPLACE_EXISTING);
        System.load(file.toAbsolutePath().toString());
      } finally {
        Files.deleteIfExists(file);
      }
      return true;
    } catch (IOException | LinkageError e) {
      LOG.warn("cannot load the native library {}: {}", resource, e.toString());
      return false;
    }
  }
}
