package dev.runctl.cli.sweep;

import dev.runctl.engine.ErrorCategory;
import dev.runctl.engine.RunctlException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The sweeps of a state folder: {@code <state-dir>/sweeps/<sweep-id>/} holds {@code sweep.json}
 * (the record), the spec frozen at apply ({@code spec.yaml}, {@code spec-file}), the cancel request
 * and the comparison report. The children's run folders are under {@code runs/} as any run's.
 */
public final class SweepStore {
  private final Path root;

  public SweepStore(Path stateDir) {
    this.root = stateDir.toAbsolutePath().normalize().resolve("sweeps");
  }

  public Path dir(String sweepId) {
    return root.resolve(sweepId);
  }

  public Path cancelRequest(String sweepId) {
    return dir(sweepId).resolve("cancel-requested");
  }

  public boolean exists(String sweepId) {
    return sweepId.matches("[a-z0-9][a-z0-9-]{0,120}")
        && Files.isRegularFile(dir(sweepId).resolve("sweep.json"));
  }

  /** Freezes the spec, then writes the record last: a sweep exists once its record does. */
  public void create(SweepRecord record, Path specFile, String source) {
    Path dir = dir(record.sweepId());
    DurableFile.write(dir.resolve("spec.yaml"), source);
    DurableFile.write(dir.resolve("spec-file"), specFile.toAbsolutePath().normalize() + "\n");
    DurableFile.write(dir.resolve("sweep.json"), SweepJson.record(record) + "\n");
  }

  public SweepRecord read(String sweepId) {
    try {
      return SweepJson.readRecord(Files.readString(dir(sweepId).resolve("sweep.json")));
    } catch (IOException | RuntimeException e) {
      throw new RunctlException(
          ErrorCategory.STATE,
          "cannot read sweep " + sweepId + ": " + e.getMessage(),
          "its record is " + dir(sweepId).resolve("sweep.json"));
    }
  }

  /** The spec text frozen at apply. */
  public String source(String sweepId) {
    try {
      return Files.readString(dir(sweepId).resolve("spec.yaml"), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new RunctlException(
          ErrorCategory.STATE,
          "cannot read the frozen spec of sweep " + sweepId + ": " + e.getMessage(),
          "the sweep folder " + dir(sweepId) + " is incomplete");
    }
  }

  /** The sweeps' ids, newest first. */
  public List<String> ids() {
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(root)) {
      List<String> ids = new ArrayList<>();
      s.map(p -> p.getFileName().toString()).filter(this::exists).forEach(ids::add);
      ids.sort(Comparator.comparing(SweepStore::stamp).reversed());
      return ids;
    } catch (IOException e) {
      return List.of();
    }
  }

  /**
   * The sweep {@code typed} names: its id, or a prefix of exactly one sweep's id. Empty when it
   * names none, so that the caller looks for a run.
   */
  public Optional<String> find(String typed) {
    if (typed == null) {
      return Optional.empty();
    }
    if (exists(typed)) {
      return Optional.of(typed);
    }
    List<String> matches = ids().stream().filter(id -> id.startsWith(typed)).toList();
    return matches.size() == 1 ? Optional.of(matches.get(0)) : Optional.empty();
  }

  private static String stamp(String id) {
    String[] p = id.split("-");
    return p.length >= 3 ? p[p.length - 3] + p[p.length - 2] + id : id;
  }
}
