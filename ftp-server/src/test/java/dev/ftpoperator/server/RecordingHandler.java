package dev.ftpoperator.server;

import java.util.function.Consumer;
import java.util.logging.Handler;
import java.util.logging.LogRecord;

/** A java.util.logging handler that gives every record to the test. */
public final class RecordingHandler extends Handler {

  private final Consumer<LogRecord> onRecord;

  public RecordingHandler(Consumer<LogRecord> onRecord) {
    this.onRecord = onRecord;
  }

  @Override
  public void publish(LogRecord record) {
    onRecord.accept(record);
  }

  @Override
  public void flush() {}

  @Override
  public void close() {}
}
