package dev.runctl.engine.mirror;

import dev.runctl.engine.ErrorCategory;
import dev.runctl.engine.RunctlException;
import dev.runctl.engine.spi.RemoteState;
import dev.runctl.engine.spi.StateRef;
import dev.runctl.engine.state.AtomicFile;
import dev.runctl.engine.state.RemoteHolder;
import dev.runctl.engine.state.RunFolder;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Brings a local run folder up to what the store holds: whole files whose tag changed, the packs it
 * has not applied, then the journal segments past what it has (the journal last, so that a reader
 * who sees a step's end has its log too). Where the local journal holds records the store never got
 * and the store has moved on past them (another machine resumed the run), the store wins: the local
 * journal is cut back to what they share.
 */
final class Puller {
  private final RemoteState remote;

  Puller(RemoteState remote) {
    this.remote = remote;
  }

  /**
   * Catches {@code local} up with run {@code local.runId()}; false when the store has no such run.
   * {@code ref} is written into the folder's ledger, so that later commands find the store.
   */
  boolean pull(RunFolder local, StateRef ref) {
    RunKeys keys = new RunKeys(local.runId());
    List<RemoteState.Listed> all = remote.list(keys.root());
    List<RemoteState.Listed> segments =
        all.stream().filter(l -> l.key().startsWith(keys.journalPrefix())).toList();
    if (segments.isEmpty()) {
      return false;
    }
    try {
      Files.createDirectories(local.logs());
      Files.createDirectories(local.artifacts());
    } catch (IOException e) {
      throw failed(local, e);
    }
    Ledger ledger = Ledger.load(local);
    ledger.ref(ref);
    for (RemoteState.Listed l : all) {
      if (l.key().startsWith(keys.filePrefix())) {
        String name = l.key().substring(keys.filePrefix().length());
        Path target = local.dir().resolve(name).normalize();
        if (!local.dir().equals(target.getParent()) || RunFiles.isLocalOnly(name)) {
          continue; // only the run folder's own files, never this machine's lock or ledger
        }
        if (!ledger.tag(name).filter(l.etag()::equals).isPresent()) {
          remote
              .get(l.key())
              .ifPresent(
                  b -> {
                    writeWhole(target, b.data(), local);
                    ledger.tag(name, b.etag());
                  });
        }
      }
    }
    for (RemoteState.Listed l : all) {
      if (l.key().startsWith(keys.packPrefix()) && RunKeys.number(l.key()) > ledger.pack()) {
        long seq = RunKeys.number(l.key());
        if (seq != ledger.pack() + 1) {
          break; // a pack still on its way: the next catch-up applies it and the rest
        }
        remote.get(l.key()).ifPresent(b -> apply(Pack.decode(b.data()), local, ledger));
        ledger.pack(seq);
      }
    }
    pullJournal(segments, local, ledger);
    ledger.save();
    Optional<LeaseRecord> lease =
        all.stream().anyMatch(l -> l.key().equals(keys.lock()))
            ? remote.get(keys.lock()).flatMap(b -> LeaseRecord.decode(b.data()))
            : Optional.empty();
    RemoteHolder.write(
        local,
        lease.map(LeaseRecord::holder),
        lease.map(LeaseRecord::expires).orElse(java.time.Instant.EPOCH));
    return true;
  }

  private void pullJournal(List<RemoteState.Listed> segments, RunFolder local, Ledger ledger) {
    long have = ledger.journal();
    long localSize = size(local.journal());
    if (localSize < have) {
      have = 0; // the local journal is not what the ledger says (removed, replaced): read it all
    }
    long end = 0;
    for (RemoteState.Listed s : segments) {
      long start = RunKeys.number(s.key());
      if (start != end) {
        break; // a segment still on its way
      }
      end = start + s.size();
      if (end <= have) {
        continue;
      }
      byte[] data = remote.get(s.key()).map(RemoteState.Blob::data).orElse(new byte[0]);
      if (data.length != s.size()) {
        break; // replaced while read: the next catch-up takes it
      }
      int skip = (int) (have - start);
      writeAt(local.journal(), have, Arrays.copyOfRange(data, skip, data.length), local);
      have = end;
      ledger.journal(have);
    }
  }

  private static void apply(Pack pack, RunFolder local, Ledger ledger) {
    for (Pack.Entry e : pack.entries()) {
      Path f = local.dir().resolve(e.path()).normalize();
      if (!RunFiles.isGrowing(local, f)) {
        continue; // a path out of the run folder is never written
      }
      writeAt(f, e.offset(), e.data(), local);
      ledger.offset(e.path(), e.offset() + e.data().length);
    }
  }

  /** Writes {@code data} at {@code offset}, cutting the file there first unless it holds it. */
  private static void writeAt(Path f, long offset, byte[] data, RunFolder local) {
    try {
      Files.createDirectories(f.getParent());
      try (FileChannel ch =
          FileChannel.open(
              f, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
        if (ch.size() >= offset + data.length && same(ch, offset, data)) {
          return;
        }
        ch.truncate(offset);
        ByteBuffer buf = ByteBuffer.wrap(data);
        long pos = offset;
        while (buf.hasRemaining()) {
          pos += ch.write(buf, pos);
        }
      }
    } catch (IOException e) {
      throw failed(local, e);
    }
  }

  private static boolean same(FileChannel ch, long offset, byte[] data) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(data.length);
    while (buf.hasRemaining() && ch.read(buf, offset + buf.position()) > 0) {
      // read on
    }
    return Arrays.equals(buf.array(), data);
  }

  private static void writeWhole(Path f, byte[] data, RunFolder local) {
    try {
      AtomicFile.write(f, data);
    } catch (IOException e) {
      throw failed(local, e);
    }
  }

  private static long size(Path f) {
    try {
      return Files.exists(f) ? Files.size(f) : 0;
    } catch (IOException e) {
      return 0;
    }
  }

  private static RunctlException failed(RunFolder local, IOException e) {
    return new RunctlException(
        ErrorCategory.STATE,
        "cannot bring run "
            + local.runId()
            + " up to date in "
            + local.dir()
            + ": "
            + e.getMessage(),
        "check that the state folder is writable and not full",
        e);
  }
}
