package dev.ftpoperator.server;

import dev.ftpoperator.server.config.PassivePortRange;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Passive port ranges for tests: free now and never handed out twice in this JVM, so test classes
 * run in parallel.
 */
public final class FreePorts {

  // below Linux's ephemeral range (32768+), so client sockets of parallel tests never sit on a
  // passive port
  private static final int LOWEST = 20000;
  private static final int HIGHEST = 32000;
  private static int nextBase = LOWEST + ThreadLocalRandom.current().nextInt(0, 100) * 100;

  private FreePorts() {}

  public static synchronized PassivePortRange range(int size) {
    for (int attempt = 0; attempt < 200; attempt++) {
      if (nextBase + size > HIGHEST) {
        nextBase = LOWEST;
      }
      int base = nextBase;
      nextBase += size + 10;
      if (allFree(base, size)) {
        return new PassivePortRange(base, base + size - 1);
      }
    }
    throw new IllegalStateException("no free passive port range found");
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
