package dev.ftpoperator.server.users;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.ftpserver.ftplet.Authentication;
import org.apache.ftpserver.ftplet.AuthenticationFailedException;
import org.apache.ftpserver.ftplet.Authority;
import org.apache.ftpserver.ftplet.FtpException;
import org.apache.ftpserver.ftplet.User;
import org.apache.ftpserver.ftplet.UserManager;
import org.apache.ftpserver.usermanager.AnonymousAuthentication;
import org.apache.ftpserver.usermanager.UsernamePasswordAuthentication;
import org.apache.ftpserver.usermanager.impl.BaseUser;
import org.apache.ftpserver.usermanager.impl.ConcurrentLoginPermission;
import org.apache.ftpserver.usermanager.impl.WritePermission;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Users from a mounted directory, one file per user (a Kubernetes Secret volume). A login costs one
 * stat of the user's file: the parsed file is kept while its inode, size and modification time stay
 * the same, so a Secret update (the kubelet swaps in new files) takes effect at the next login
 * without a restart. Names starting with '.' are Secret-volume internals and ignored; the one
 * exception is the operator's {@link ProbeAccount}, which comes from its own file.
 */
public final class UserDirectory implements UserManager {

  private static final Logger LOG = LoggerFactory.getLogger(UserDirectory.class);
  private static final Pattern VALID_NAME =
      Pattern.compile("[A-Za-z0-9_@+-][A-Za-z0-9._@+-]{0,127}");
  public static final String ANONYMOUS = "anonymous";

  private final Path usersDir;
  private final UserFileParser parser;
  private final boolean anonymousEnabled;
  private final Path anonymousHome;
  // only files that exist are kept, so unknown names tried by a client cannot grow it
  private final Map<String, ParsedFile> parsed = new ConcurrentHashMap<>();
  private final Optional<ProbeAccount> probe;

  public UserDirectory(Path usersDir, Path dataDir, boolean anonymousEnabled, Path anonymousHome) {
    this(usersDir, dataDir, anonymousEnabled, anonymousHome, Optional.empty());
  }

  public UserDirectory(
      Path usersDir,
      Path dataDir,
      boolean anonymousEnabled,
      Path anonymousHome,
      Optional<ProbeAccount> probe) {
    this.usersDir = usersDir;
    this.parser = new UserFileParser(dataDir);
    this.anonymousEnabled = anonymousEnabled;
    this.anonymousHome = anonymousHome;
    this.probe = probe;
  }

  /**
   * The account named, if its file exists and parses; a broken file is logged (without content) and
   * treated as absent.
   */
  public Optional<UserAccount> find(String name) {
    if (ProbeAccount.NAME.equals(name)) {
      return probe.flatMap(ProbeAccount::account);
    }
    if (name == null || !VALID_NAME.matcher(name).matches()) {
      return Optional.empty();
    }
    Path file = usersDir.resolve(name);
    BasicFileAttributes attributes;
    try {
      attributes = Files.readAttributes(file, BasicFileAttributes.class);
    } catch (IOException gone) {
      parsed.remove(name);
      return Optional.empty();
    }
    if (!attributes.isRegularFile()) {
      parsed.remove(name);
      return Optional.empty();
    }
    ParsedFile known = parsed.get(name);
    if (known != null && known.isCurrent(attributes)) {
      return known.account();
    }
    Instant readAt = Instant.now();
    Optional<UserAccount> account = parse(name, file);
    parsed.put(name, new ParsedFile(attributes, readAt, account));
    return account;
  }

  private Optional<UserAccount> parse(String name, Path file) {
    try {
      return Optional.of(parser.parse(name, Files.readAllLines(file, StandardCharsets.UTF_8)));
    } catch (IOException | IllegalArgumentException e) {
      LOG.warn("ignoring unreadable user file {}: {}", name, e.getMessage());
      return Optional.empty();
    }
  }

  /**
   * A user file as last parsed. File times are coarse (a few milliseconds), so a file rewritten in
   * place within one tick keeps its time: a parse is trusted only when the file had been unchanged
   * for {@link #SETTLED} when it was read (git's "racily clean" rule), else the next login reads
   * again.
   */
  private record ParsedFile(
      Object fileKey, long size, FileTime modified, Instant readAt, Optional<UserAccount> account) {

    static final Duration SETTLED = Duration.ofSeconds(2);

    ParsedFile(BasicFileAttributes attributes, Instant readAt, Optional<UserAccount> account) {
      this(attributes.fileKey(), attributes.size(), attributes.lastModifiedTime(), readAt, account);
    }

    boolean isCurrent(BasicFileAttributes now) {
      return Objects.equals(fileKey, now.fileKey())
          && size == now.size()
          && modified.equals(now.lastModifiedTime())
          && modified.toInstant().isBefore(readAt.minus(SETTLED));
    }
  }

  @Override
  public User authenticate(Authentication authentication) throws AuthenticationFailedException {
    if (authentication instanceof UsernamePasswordAuthentication login) {
      UserAccount account =
          find(login.getUsername())
              .filter(a -> a.password().matches(login.getPassword()))
              .orElseThrow(() -> new AuthenticationFailedException("Authentication failed"));
      return toFtpUser(account.name(), account.home(), account.readOnly());
    }
    if (authentication instanceof AnonymousAuthentication && anonymousEnabled) {
      return toFtpUser(ANONYMOUS, anonymousHome, true);
    }
    throw new AuthenticationFailedException("Authentication failed");
  }

  @Override
  public User getUserByName(String name) {
    if (ANONYMOUS.equals(name)) {
      return anonymousEnabled ? toFtpUser(ANONYMOUS, anonymousHome, true) : null;
    }
    return find(name).map(a -> toFtpUser(a.name(), a.home(), a.readOnly())).orElse(null);
  }

  private static User toFtpUser(String name, Path home, boolean readOnly) {
    BaseUser user = new BaseUser();
    user.setName(name);
    user.setHomeDirectory(home.toString());
    user.setEnabled(true);
    List<Authority> authorities = new ArrayList<>();
    // 0 = no per-user limit: session limits are enforced per server and per IP instead
    authorities.add(new ConcurrentLoginPermission(0, 0));
    if (!readOnly) {
      authorities.add(new WritePermission());
    }
    user.setAuthorities(authorities);
    return user;
  }

  @Override
  public String[] getAllUserNames() throws FtpException {
    try (Stream<Path> files = Files.list(usersDir)) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(n -> VALID_NAME.matcher(n).matches() && !n.startsWith("."))
          .sorted()
          .toArray(String[]::new);
    } catch (IOException e) {
      throw new FtpException("cannot list users directory", e);
    }
  }

  @Override
  public boolean doesExist(String name) {
    return getUserByName(name) != null;
  }

  @Override
  public void delete(String name) throws FtpException {
    throw new FtpException("users are read-only (mounted directory)");
  }

  @Override
  public void save(User user) throws FtpException {
    throw new FtpException("users are read-only (mounted directory)");
  }

  @Override
  public String getAdminName() {
    return "";
  }

  @Override
  public boolean isAdmin(String name) {
    return false;
  }
}
