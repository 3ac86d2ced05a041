package dev.ftpoperator.server.session;

/**
 * What one control connection may send and leave queued (see ftp-server/README.md, "Hostile
 * input").
 *
 * @param maxUnknownCommands unknown commands allowed before login; the next one closes
 * @param commandRate commands per second a session is held to once its burst is used
 * @param commandBurst commands a session may send at once
 * @param maxCommandLineBytes longest command line; a longer one closes the session
 * @param maxQueuedBytes input waiting for the session's worker, and replies waiting for the client
 *     to read them; input over it pauses reading, replies over it close the session
 */
public record ControlLimits(
    int maxUnknownCommands,
    int commandRate,
    int commandBurst,
    int maxCommandLineBytes,
    int maxQueuedBytes) {}
