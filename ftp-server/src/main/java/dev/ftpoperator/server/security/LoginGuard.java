package dev.ftpoperator.server.security;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts failed logins per client IP; an IP with too many failures inside the window is banned for
 * a while. A successful login clears the IP's failures. maxFailures 0 disables banning.
 */
public final class LoginGuard {

  private final int maxFailures;
  private final Duration window;
  private final Duration banDuration;
  private final Clock clock;
  private final Map<InetAddress, Record> records = new ConcurrentHashMap<>();

  /** Recent failures of one IP and its ban, if any. */
  private static final class Record {
    final Deque<Instant> failures = new ArrayDeque<>();
    Instant bannedUntil = Instant.MIN;
  }

  public LoginGuard(int maxFailures, Duration window, Duration banDuration, Clock clock) {
    this.maxFailures = maxFailures;
    this.window = window;
    this.banDuration = banDuration;
    this.clock = clock;
  }

  public boolean isBanned(InetAddress ip) {
    Record record = records.get(ip);
    if (record == null) {
      return false;
    }
    synchronized (record) {
      return clock.instant().isBefore(record.bannedUntil);
    }
  }

  /** Records a failure; true when this failure starts a ban. */
  public boolean failed(InetAddress ip) {
    if (maxFailures == 0) {
      return false;
    }
    Instant now = clock.instant();
    Record record = records.computeIfAbsent(ip, k -> new Record());
    synchronized (record) {
      record.failures.addLast(now);
      while (!record.failures.isEmpty()
          && record.failures.peekFirst().isBefore(now.minus(window))) {
        record.failures.removeFirst();
      }
      if (record.failures.size() >= maxFailures && !now.isBefore(record.bannedUntil)) {
        record.bannedUntil = now.plus(banDuration);
        record.failures.clear();
        return true;
      }
      return false;
    }
  }

  public void succeeded(InetAddress ip) {
    records.remove(ip);
  }

  /**
   * Drops records whose ban is over and whose failures left the window, so the map cannot grow
   * without bound.
   */
  public void forgetExpired() {
    Instant now = clock.instant();
    records
        .entrySet()
        .removeIf(
            entry -> {
              Record record = entry.getValue();
              synchronized (record) {
                boolean lastFailureOld =
                    record.failures.isEmpty()
                        || record.failures.peekLast().isBefore(now.minus(window));
                return lastFailureOld && !now.isBefore(record.bannedUntil);
              }
            });
  }
}
