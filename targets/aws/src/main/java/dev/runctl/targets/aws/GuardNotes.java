package dev.runctl.targets.aws;

import dev.runctl.engine.json.FlatObject;
import dev.runctl.engine.spi.TargetRun;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * What the guards of a run's instances did, from the records they wrote under {@code
 * runctl/runs/<run>/guard/}: "i-0abc terminated itself at 2026-12-06T14:02:00Z: train ended at ...
 * and nobody collected it within 1800s". Asked only for runs with no instance alive whose journal
 * does not record the end of every instance (runctl did not end them itself).
 */
final class GuardNotes {
  private GuardNotes() {}

  static Map<String, List<String>> of(
      List<TargetRun> runs, Map<String, List<String>> alive, Region region, Duration timeout) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    List<TargetRun> ask = new ArrayList<>();
    for (TargetRun run : runs) {
      String id = run.context().runId();
      RunFacts f = new RunFacts(run.context().facts());
      boolean unended = f.instances().stream().anyMatch(i -> !f.isEnded(i));
      if (alive.getOrDefault(id, List.of()).isEmpty() && unended) {
        ask.add(run);
      }
    }
    if (ask.isEmpty()) {
      return out;
    }
    try (S3Client s3 = AwsClients.quickS3(region, timeout)) {
      for (TargetRun run : ask) {
        String bucket = ((AwsConfig) run.config()).bucket();
        String prefix = RemotePaths.runPrefix(run.context().runId()) + "guard/";
        List<S3Object> ended =
            s3.listObjectsV2(r -> r.bucket(bucket).prefix(prefix)).contents().stream()
                .filter(o -> o.key().endsWith("-terminated.json"))
                .sorted(Comparator.comparing(S3Object::key))
                .toList();
        List<String> notes = new ArrayList<>();
        for (S3Object o : ended) {
          notes.add(note(s3.getObjectAsBytes(g -> g.bucket(bucket).key(o.key())).asUtf8String()));
        }
        if (!notes.isEmpty()) {
          out.put(run.context().runId(), notes);
        }
      }
    } catch (RuntimeException e) {
      // a note is a courtesy: the look at the instances stands without it
    }
    return out;
  }

  /** The line for one record {@code {"at":..,"instance":..,"action":..,"reason":..}}. */
  static String note(String json) {
    FlatObject n = FlatObject.read(json);
    return "the instance "
        + n.optional("instance").orElse("?")
        + " terminated itself at "
        + n.optional("at").orElse("?")
        + ": "
        + n.optional("reason").orElse("?");
  }
}
