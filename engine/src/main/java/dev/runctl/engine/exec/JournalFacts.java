package dev.runctl.engine.exec;

import dev.runctl.engine.spi.Facts;
import dev.runctl.engine.spi.RunClock;
import dev.runctl.engine.state.Journal;
import dev.runctl.engine.state.JournalRecord;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Facts kept in the journal: {@link #put} returns once the fact is on disk. */
final class JournalFacts implements Facts {
  private final Journal journal;
  private final RunClock clock;
  private final Map<String, String> facts;

  JournalFacts(Journal journal, RunClock clock, Map<String, String> prior) {
    this.journal = journal;
    this.clock = clock;
    this.facts = Collections.synchronizedMap(new LinkedHashMap<>(prior));
  }

  @Override
  public Optional<String> get(String key) {
    return Optional.ofNullable(facts.get(key));
  }

  @Override
  public void put(String key, String value) {
    journal.appendDurably(new JournalRecord.FactRecorded(clock.now(), key, value));
    facts.put(key, value);
  }

  @Override
  public Map<String, String> all() {
    synchronized (facts) {
      return Collections.unmodifiableMap(new LinkedHashMap<>(facts));
    }
  }
}
