package dev.runctl.targets.ssh;

import dev.runctl.engine.manifest.ManifestBytes;
import dev.runctl.engine.manifest.ManifestText;
import dev.runctl.engine.spi.ManifestEntry;
import dev.runctl.engine.spi.StepException;
import dev.runctl.engine.spi.SyncRequest;
import dev.runctl.engine.spi.SyncResult;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Makes the host's workdir hold exactly a manifest's files, over the run's one connection. The host
 * keeps the manifest it holds (sha256, mode, size, mtime, path per file). When its digest equals
 * the new one, one command checks the required paths and that is all. Otherwise: a file whose
 * content sits at another path on the host is copied there; a file whose content the host lacks
 * travels in a tar stream; paths no longer listed are deleted; all in a second command.
 */
final class SshSync {
  private final SshClient ssh;
  private final HostPaths paths;

  SshSync(SshClient ssh, HostPaths paths) {
    this.ssh = ssh;
    this.paths = paths;
  }

  SyncResult sync(SyncRequest request) throws InterruptedException {
    for (ManifestEntry e : request.files()) {
      checkPath(e.path());
    }
    ManifestBytes digest = ManifestBytes.digest();
    ManifestBytes text = ManifestBytes.text(request.files().size());
    for (ManifestEntry e : request.files()) {
      digest.entry(e);
      text.entry(e);
    }
    String sha = digest.hex();
    String req = String.join("\n", request.mustExist());
    Map<String, String> vars = new LinkedHashMap<>();
    vars.put("W", paths.workdir());
    vars.put("M", paths.syncState());
    vars.put("SHA", sha);
    vars.put("REQ", req);
    SshClient.Result check = ssh.script(Scripts.of(vars, "sync-check.sh"));
    String out = check.out();
    if (out.startsWith("@@same")) {
      return new SyncResult(0, 0, 0, missing(out));
    }
    if (!out.startsWith("@@differs")) {
      throw failed("compare the workdir", check);
    }
    byte[] raw = check.stdout();
    int nl = out.indexOf('\n');
    byte[] held = nl < 0 ? new byte[0] : java.util.Arrays.copyOfRange(raw, nl + 1, raw.length);
    Map<String, ManifestEntry> have = ManifestText.entries(held);
    return apply(request, have, text.bytes(), sha, vars);
  }

  private SyncResult apply(
      SyncRequest request,
      Map<String, ManifestEntry> have,
      byte[] manifest,
      String sha,
      Map<String, String> vars)
      throws InterruptedException {
    Map<String, String> pathBySha = new HashMap<>();
    have.values().forEach(e -> pathBySha.putIfAbsent(e.sha256(), e.path()));
    List<ManifestEntry> send = new ArrayList<>();
    ByteArrayOutputStream copies = new ByteArrayOutputStream();
    int copied = 0;
    Set<String> wanted = new HashSet<>();
    for (ManifestEntry e : request.files()) {
      wanted.add(e.path());
      ManifestEntry old = have.get(e.path());
      if (old != null && old.sha256().equals(e.sha256()) && old.mode() == e.mode()) {
        continue; // the host has it (its mtime is kept to the second; tar sets no finer)
      }
      String source = old == null ? pathBySha.get(e.sha256()) : null;
      if (source != null) {
        nul(copies, source);
        nul(copies, e.path());
        nul(copies, Integer.toOctalString(e.mode() & 07777));
        nul(copies, Long.toString(e.modifiedMillis() / 1000));
        copied++;
      } else {
        send.add(e);
      }
    }
    ByteArrayOutputStream deletes = new ByteArrayOutputStream();
    Set<String> gone = new HashSet<>();
    for (String p : have.keySet()) {
      if (!wanted.contains(p)) {
        nul(deletes, p);
        gone.add(p);
      }
    }
    ByteArrayOutputStream rmdirs = new ByteArrayOutputStream();
    SyncStreams.emptiedFolders(gone, wanted).forEach(f -> nul(rmdirs, f));
    long total = send.stream().mapToLong(ManifestEntry::size).sum();
    if (send.size() >= 500) {
      request
          .progress()
          .accept(
              "sending "
                  + send.size()
                  + " files ("
                  + total / 1024
                  + " KiB) to "
                  + ssh.config().host()
                  + (copied > 0 ? ", " + copied + " copied there from files it has" : ""));
    }
    List<List<ManifestEntry>> parts = SyncStreams.split(send);
    String nonce = UUID.randomUUID().toString().substring(0, 8);
    Map<String, String> v = new LinkedHashMap<>(vars);
    v.put("NC", Integer.toString(copies.size()));
    v.put("ND", Integer.toString(deletes.size()));
    v.put("NR", Integer.toString(rmdirs.size()));
    v.put("NM", Integer.toString(manifest.length));
    v.put("NX", Integer.toString(parts.size() - 1));
    v.put("NONCE", nonce);
    byte[] control = concat(copies, deletes, rmdirs, manifest);
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, parts.size() - 1));
    try {
      List<Future<SshClient.Result>> extras = new ArrayList<>();
      for (int k = 1; k < parts.size(); k++) {
        extras.add(pool.submit(part(request, parts.get(k), k, nonce)));
      }
      SshClient.Result r =
          ssh.run(
              "bash -c " + Quote.quote(Scripts.of(v, "sync.sh")),
              raw -> {
                raw.write(control);
                SyncStreams.tar(raw, request.localRoot(), parts.get(0));
              });
      for (Future<SshClient.Result> f : extras) {
        SshClient.Result x = result(f);
        if (x.exitCode() != 0) {
          throw failed("write the workdir", x);
        }
      }
      if (r.exitCode() != 0 || !r.out().contains("@@synced")) {
        throw failed("write the workdir", r);
      }
      return new SyncResult(send.size() + copied, total, gone.size(), missing(r.out()));
    } finally {
      pool.shutdownNow();
    }
  }

  /** One more stream: its part as a tar; when it fails, the main stream is told to stop waiting. */
  private Callable<SshClient.Result> part(
      SyncRequest request, List<ManifestEntry> files, int k, String nonce) {
    Map<String, String> v = new LinkedHashMap<>();
    v.put("W", paths.workdir());
    v.put("M", paths.syncState());
    v.put("NONCE", nonce);
    v.put("K", Integer.toString(k));
    return () -> {
      SshClient.Result r;
      try {
        r =
            ssh.run(
                "bash -c " + Quote.quote(Scripts.of(v, "sync-part.sh")),
                raw -> SyncStreams.tar(raw, request.localRoot(), files));
      } catch (RuntimeException e) {
        signalFailure(nonce);
        throw e;
      }
      if (r.exitCode() != 0) {
        signalFailure(nonce);
      }
      return r;
    };
  }

  private void signalFailure(String nonce) throws InterruptedException {
    Map<String, String> v = Map.of("M", paths.syncState(), "NONCE", nonce);
    ssh.script(Quote.assignments(v, false) + ": > \"$M/done.$NONCE.fail\"\n");
  }

  private static SshClient.Result result(Future<SshClient.Result> f) throws InterruptedException {
    try {
      return f.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  private static byte[] concat(
      ByteArrayOutputStream a, ByteArrayOutputStream b, ByteArrayOutputStream c, byte[] d) {
    ByteArrayOutputStream all =
        new ByteArrayOutputStream(a.size() + b.size() + c.size() + d.length);
    all.writeBytes(a.toByteArray());
    all.writeBytes(b.toByteArray());
    all.writeBytes(c.toByteArray());
    all.writeBytes(d);
    return all.toByteArray();
  }

  private static List<String> missing(String out) {
    List<String> m = new ArrayList<>();
    for (String line : out.split("\n")) {
      if (line.startsWith("@@missing ")) {
        m.add(line.substring(10));
      }
    }
    return m;
  }

  private StepException failed(String what, SshClient.Result r) {
    return StepException.transientError(
        "sync could not "
            + what
            + " "
            + paths.workdir()
            + " on "
            + ssh.config().host()
            + " (exit "
            + r.exitCode()
            + "): "
            + SshProcesses.tail(r.stderr().isBlank() ? r.out() : r.stderr()),
        "check free disk space and permissions there (runctl plan --check shows the free space)",
        null);
  }

  private static void checkPath(String p) {
    if (p.isEmpty() || p.startsWith("/") || ("/" + p + "/").contains("/../")) {
      throw StepException.fatal(
          "refusing to sync the path '" + p + "': it leaves the workdir", "sync relative paths");
    }
  }

  private static void nul(ByteArrayOutputStream out, String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    out.write(b, 0, b.length);
    out.write(0);
  }
}
