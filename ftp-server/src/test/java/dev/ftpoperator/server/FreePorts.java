package dev.ftpoperator.server;

import dev.ftpoperator.server.config.PassivePortRange;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Passive port ranges for tests: free now and never handed out twice in this JVM, so test classes
 * run in parallel; and taken from blocks of ports no other test JVM holds, so two checkouts can run
 * their tests at once. A port free when handed out may still be bound later by another process that
 * saw it free too (a test server binds its range when it starts, after the check), so a check of
 * free ports alone cannot keep two JVMs apart: each holds an advisory lock on a file per block it
 * uses, which the OS drops when the JVM exits, however it exits.
 */
public final class FreePorts {

  // below Linux's ephemeral range (32768+), so client sockets of parallel tests never sit on a
  // passive port
  private static final int LOWEST = 20000;
  private static final int HIGHEST = 32000;
  private static final int BLOCK = 1000;
  // of the 12 blocks: more than a run of the module's tests takes (about 3,000 ports), and leaves 8
  // for two more JVMs
  private static final int MOST_HELD = 4;
  private static final Path LOCKS =
      Path.of(System.getProperty("java.io.tmpdir"), "ftp-operator-test-ports");

  /** The blocks this JVM holds, by their first port; their locks stay held until it exits. */
  private static final List<Integer> heldBlocks = new ArrayList<>();

  private static final List<FileLock> heldLocks = new ArrayList<>();
  private static int block = -1;
  private static int nextBase;

  private FreePorts() {}

  public static synchronized PassivePortRange range(int size) {
    if (size > BLOCK) {
      throw new IllegalArgumentException("a range of " + size + " ports is larger than a block");
    }
    for (int attempt = 0; attempt < 200; attempt++) {
      if (block < 0 || nextBase + size > heldBlocks.get(block) + BLOCK) {
        nextBlock();
      }
      int base = nextBase;
      nextBase += size + 10;
      if (allFree(base, size)) {
        return new PassivePortRange(base, base + size - 1);
      }
    }
    throw new IllegalStateException("no free passive port range found");
  }

  /**
   * Moves on to a block no other JVM holds or, once this JVM holds its share or no other block is
   * free, back to the oldest of its own: its ranges were handed out long ago, to tests that ended.
   */
  private static void nextBlock() {
    int blocks = (HIGHEST - LOWEST) / BLOCK;
    int start = ThreadLocalRandom.current().nextInt(blocks);
    for (int i = 0; i < blocks && heldBlocks.size() < MOST_HELD; i++) {
      int base = LOWEST + (start + i) % blocks * BLOCK;
      if (!heldBlocks.contains(base) && hold(base)) {
        heldBlocks.add(base);
        block = heldBlocks.size() - 1;
        nextBase = base;
        return;
      }
    }
    if (heldBlocks.isEmpty()) {
      throw new IllegalStateException(
          "all "
              + blocks
              + " blocks of test ports are held by other JVMs (locks in "
              + LOCKS
              + ")");
    }
    block = (block + 1) % heldBlocks.size();
    nextBase = heldBlocks.get(block);
  }

  /** Whether this JVM now holds the block from {@code base}: false when another JVM does. */
  static synchronized boolean hold(int base) {
    try {
      Files.createDirectories(LOCKS);
      FileChannel channel =
          FileChannel.open(
              LOCKS.resolve("ports-" + base + ".lock"),
              StandardOpenOption.CREATE,
              StandardOpenOption.WRITE);
      FileLock lock = channel.tryLock();
      if (lock == null) {
        channel.close();
        return false;
      }
      heldLocks.add(lock);
      return true;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot lock a block of test ports in " + LOCKS, e);
    }
  }

  private static boolean allFree(int base, int size) {
    for (int port = base; port < base + size; port++) {
      try (ServerSocket socket = new ServerSocket()) {
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      } catch (IOException e) {
        return false;
      }
    }
    return true;
  }
}
