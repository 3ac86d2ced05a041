package dev.ftpoperator.server.data;

import dev.ftpoperator.server.ops.ServerMetrics;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLSocket;
import org.apache.ftpserver.ftplet.DataConnection;
import org.apache.ftpserver.ftplet.DataType;
import org.apache.ftpserver.ftplet.FtpSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves the bytes of one transfer. Binary downloads of plain files over plain sockets use FileChannel.transferTo
 * (sendfile); everything else copies through a large buffer. ASCII mode converts line ends (CRLF on the wire).
 */
final class StreamingDataConnection implements DataConnection {

    private static final Logger LOG = LoggerFactory.getLogger(StreamingDataConnection.class);

    private static final int BUFFER_SIZE = 256 * 1024;
    private static final long SENDFILE_CHUNK = 8L * 1024 * 1024;

    private final Socket socket;
    private final ServerMetrics metrics;
    private final ActiveTransfers transfers;
    private final SessionActivity sessionActivity;

    StreamingDataConnection(Socket socket, ServerMetrics metrics, ActiveTransfers transfers, SessionActivity sessionActivity) {
        this.socket = socket;
        this.metrics = metrics;
        this.transfers = transfers;
        this.sessionActivity = sessionActivity;
    }

    @Override
    public long transferFromClient(FtpSession session, OutputStream out) throws IOException {
        boolean ascii = session.getDataType() == DataType.ASCII;
        return track(transfer -> {
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[BUFFER_SIZE];
            byte[] converted = ascii ? new byte[BUFFER_SIZE] : null;
            long total = 0;
            byte last = 0;
            int read;
            while ((read = in.read(buffer)) != -1) {
                if (ascii) {
                    int length = 0;
                    for (int i = 0; i < read; i++) {
                        byte b = buffer[i];
                        // CRLF and lone CR become LF
                        if (b == '\r') {
                            converted[length++] = '\n';
                        } else if (b != '\n' || last != '\r') {
                            converted[length++] = b;
                        }
                        last = b;
                    }
                    out.write(converted, 0, length);
                } else {
                    out.write(buffer, 0, read);
                }
                total += read;
                metrics.received(read);
                transfer.progressed();
            }
            out.flush();
            return total;
        });
    }

    @Override
    public long transferToClient(FtpSession session, InputStream in) throws IOException {
        boolean ascii = session.getDataType() == DataType.ASCII;
        // a layered SSLSocket reports the plain channel underneath: never sendfile around TLS
        SocketChannel channel = socket instanceof SSLSocket ? null : socket.getChannel();
        if (!ascii && channel != null && in instanceof FileInputStream file) {
            return track(transfer -> sendFile(file.getChannel(), channel, transfer));
        }
        return track(transfer -> {
            OutputStream out = socket.getOutputStream();
            byte[] buffer = new byte[BUFFER_SIZE];
            byte[] converted = ascii ? new byte[BUFFER_SIZE * 2] : null;
            long total = 0;
            byte last = 0;
            int read;
            while ((read = in.read(buffer)) != -1) {
                if (ascii) {
                    int length = 0;
                    for (int i = 0; i < read; i++) {
                        byte b = buffer[i];
                        if (b == '\n' && last != '\r') {
                            converted[length++] = '\r';
                        }
                        converted[length++] = b;
                        last = b;
                    }
                    out.write(converted, 0, length);
                    metrics.sent(length);
                } else {
                    out.write(buffer, 0, read);
                    metrics.sent(read);
                }
                total += read;
                transfer.progressed();
            }
            out.flush();
            return total;
        });
    }

    private long sendFile(FileChannel file, SocketChannel channel, ActiveTransfers.Transfer transfer) throws IOException {
        long position = file.position();
        long end = file.size();
        long total = 0;
        while (position < end) {
            long sent = file.transferTo(position, Math.min(SENDFILE_CHUNK, end - position), channel);
            if (sent <= 0) {
                break;
            }
            position += sent;
            total += sent;
            metrics.sent(sent);
            transfer.progressed();
        }
        return total;
    }

    @Override
    public void transferToClient(FtpSession session, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        track(transfer -> {
            OutputStream out = socket.getOutputStream();
            out.write(bytes);
            out.flush();
            metrics.sent(bytes.length);
            return (long) bytes.length;
        });
    }

    private interface Copy {
        long run(ActiveTransfers.Transfer transfer) throws IOException;
    }

    private long track(Copy copy) throws IOException {
        metrics.transferStarted();
        sessionActivity.transferring(true);
        boolean ok = false;
        try (ActiveTransfers.Transfer transfer = transfers.start(socket)) {
            long moved = copy.run(transfer);
            ok = true;
            return moved;
        } catch (IOException e) {
            LOG.info("data transfer aborted: {}", e.toString());
            throw e;
        } finally {
            metrics.transferFinished(ok);
            sessionActivity.transferring(false);
        }
    }
}
