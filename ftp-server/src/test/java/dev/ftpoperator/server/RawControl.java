package dev.ftpoperator.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * A control connection driven byte by byte, as an attacker (or a browser lured to the port) would:
 * nothing is escaped, the replies are read as they come, and a hang-up is observable.
 */
public final class RawControl implements AutoCloseable {

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  private RawControl(Socket socket) throws IOException {
    this.socket = socket;
    socket.setSoTimeout(10_000);
    this.in = socket.getInputStream();
    this.out = socket.getOutputStream();
  }

  /** Connected, the greeting read. */
  public static RawControl open(FtpTestServer server) throws IOException {
    return open(server, null);
  }

  /** From {@code source} (e.g. 127.0.0.2 as a second client) when not null. */
  public static RawControl open(FtpTestServer server, String source) throws IOException {
    Socket socket = new Socket();
    if (source != null) {
      socket.bind(new InetSocketAddress(InetAddress.getByName(source), 0));
    }
    socket.connect(new InetSocketAddress(FtpTestServer.HOST, server.port()), 5000);
    RawControl control = new RawControl(socket);
    String greeting = control.reply();
    if (!greeting.startsWith("220")) {
      throw new IOException("no greeting: " + greeting);
    }
    return control;
  }

  /** Logged in as alice. */
  public static RawControl alice(FtpTestServer server) throws IOException {
    RawControl control = open(server);
    control.send("USER alice\r\n");
    control.reply();
    control.send("PASS secret\r\n");
    String reply = control.reply();
    if (!reply.startsWith("230")) {
      throw new IOException("login failed: " + reply);
    }
    return control;
  }

  public void send(String raw) throws IOException {
    out.write(raw.getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  /** Sends one command line (CRLF added) and returns its reply. */
  public String command(String line) throws IOException {
    send(line + "\r\n");
    return reply();
  }

  /** The next reply line (the last line of a multi-line reply); "" at end of stream. */
  public String reply() throws IOException {
    while (true) {
      String line = line();
      if (line.isEmpty() || (line.length() >= 4 && line.charAt(3) == ' ')) {
        return line;
      }
    }
  }

  private String line() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) != -1) {
      if (b == '\n') {
        break;
      }
      if (b != '\r') {
        bytes.write(b);
      }
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  /** True when the server closed the connection within the read timeout. */
  public boolean closedByServer() throws IOException {
    try {
      while (true) {
        if (in.read() == -1) {
          return true;
        }
      }
    } catch (SocketTimeoutException stillOpen) {
      return false;
    } catch (IOException reset) {
      return true;
    }
  }

  public void readTimeout(int millis) throws IOException {
    socket.setSoTimeout(millis);
  }

  public Socket socket() {
    return socket;
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
