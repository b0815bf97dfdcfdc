package dev.runctl.engine.spec;

import dev.runctl.engine.registry.Registry;
import dev.runctl.engine.spi.SecretSource;
import dev.runctl.engine.spi.SettingsSchema;
import dev.runctl.engine.spi.StepType;
import dev.runctl.engine.spi.TargetProvider;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Composes the job schema from the engine's core ({@code core.schema.json}: version, name, workdir,
 * env, budget, defaults, steps, when, retry, ...) and the {@link SettingsSchema} each registered
 * target provider and step type declares. A provider's schema becomes {@code $defs/<name>Target},
 * applied to {@code target:} when {@code provider} names it; a step type's becomes {@code
 * $defs/<name>With}, applied to {@code with:} of the steps that use it. The engine itself names no
 * provider's or step type's key.
 */
final class SchemaComposer {
  private static final String CORE = "core.schema.json";

  private SchemaComposer() {}

  /** Whose settings a {@code $defs} entry holds. */
  enum Kind {
    TARGET,
    STEP,
    SECRET,
    STATE
  }

  /**
   * The owner of a {@code $defs} entry, for messages; {@code byDefault}: the provider of a spec
   * that names none.
   */
  record Owner(Kind kind, String name, SettingsSchema settings, boolean byDefault) {}

  /** The composed document and who owns which of its {@code $defs}. */
  record Composed(ObjectNode document, Map<String, Owner> owners) {}

  /** Who owns which {@code $defs} entry, without composing the document. */
  static Map<String, Owner> owners(Registry registry) {
    Map<String, Owner> owners = new LinkedHashMap<>();
    for (TargetProvider p : registry.targets()) {
      boolean byDefault = p.name().equals(registry.defaultTargetName());
      owners.put(p.name() + "Target", new Owner(Kind.TARGET, p.name(), p.settings(), byDefault));
    }
    for (StepType<?> t : registry.stepTypes()) {
      owners.put(t.name() + "With", new Owner(Kind.STEP, t.name(), t.settings(), false));
    }
    for (SecretSource source : registry.secretSources()) {
      owners.put(
          source.name() + "Secret",
          new Owner(Kind.SECRET, source.name(), source.settings(), false));
    }
    for (dev.runctl.engine.spi.StateBackend b : registry.stateBackends()) {
      owners.put(b.name() + "State", new Owner(Kind.STATE, b.name(), b.settings(), false));
    }
    return Map.copyOf(owners);
  }

  /**
   * What the composed document of {@code registry} depends on, as a short key: the core schema, the
   * default provider, and every provider's, step type's and secret source's name and settings. The
   * build packages the composed document of the shipped registry with its key ({@link
   * PackagedSchema}); a registry with the same key has the same document.
   */
  static String key(Registry registry) {
    List<Object> parts = new java.util.ArrayList<>();
    parts.add(core());
    parts.add(registry.defaultTargetName());
    registry.targets().forEach(p -> parts.add(List.of("target", p.name(), p.settings().json())));
    registry
        .stepTypes()
        .forEach(
            t ->
                parts.add(List.of("step", t.name(), t.settings().json(), t.settings().required())));
    registry
        .secretSources()
        .forEach(x -> parts.add(List.of("secret", x.name(), x.settings().json())));
    registry
        .stateBackends()
        .forEach(b -> parts.add(List.of("state", b.name(), b.settings().json())));
    return Integer.toHexString(parts.hashCode());
  }

  static Composed compose(Registry registry) {
    ObjectNode doc = (ObjectNode) SchemaTree.parse(core());
    ObjectNode defs = (ObjectNode) doc.get("$defs");
    JsonNodeFactory f = JsonNodeFactory.instance;

    ObjectNode target = (ObjectNode) defs.get("target");
    ObjectNode provider = (ObjectNode) target.get("properties").get("provider");
    ArrayNode providerNames = f.arrayNode();
    ArrayNode targetBranches = f.arrayNode();
    for (TargetProvider p : registry.targets()) {
      String def = p.name() + "Target";
      ObjectNode fragment = fragment(p.settings(), "target provider '" + p.name() + "'");
      ObjectNode properties = f.objectNode();
      properties.set("provider", provider.deepCopy());
      fragment
          .path("properties")
          .properties()
          .forEach(e -> properties.set(e.getKey(), e.getValue()));
      fragment.set("properties", properties);
      defs.set(def, fragment);
      boolean byDefault = p.name().equals(registry.defaultTargetName());
      providerNames.add(p.name());
      ObjectNode when = f.objectNode();
      when.putObject("properties").putObject("provider").putArray("enum").add(p.name());
      if (!byDefault) {
        when.putArray("required").add("provider");
      }
      ObjectNode branch = targetBranches.addObject();
      branch.set("if", when);
      branch.putObject("then").put("$ref", "#/$defs/" + def);
    }
    provider.set("examples", providerNames);
    if (!providerNames.isEmpty()) {
      provider.put(
          "description",
          provider.path("description").asString()
              + " One of: "
              + join(providerNames)
              + "; default: "
              + registry.defaultTargetName()
              + ".");
    }
    if (!targetBranches.isEmpty()) {
      target.set("allOf", targetBranches);
    }

    ObjectNode step = (ObjectNode) defs.get("step");
    ObjectNode uses = (ObjectNode) step.get("properties").get("uses");
    ArrayNode typeNames = f.arrayNode();
    ArrayNode stepBranches = f.arrayNode();
    for (StepType<?> t : registry.stepTypes()) {
      String def = t.name() + "With";
      defs.set(def, fragment(t.settings(), "step type '" + t.name() + "'"));
      typeNames.add(t.name());
      ObjectNode branch = stepBranches.addObject();
      ObjectNode when = branch.putObject("if");
      when.putArray("required").add("uses");
      when.putObject("properties").putObject("uses").putArray("enum").add(t.name());
      ObjectNode then = branch.putObject("then");
      if (t.settings().required()) {
        then.putArray("required").add("with");
      }
      then.putObject("properties").putObject("with").put("$ref", "#/$defs/" + def);
    }
    uses.set("examples", typeNames);
    uses.put(
        "description", uses.path("description").asString() + " One of: " + join(typeNames) + ".");
    if (!stepBranches.isEmpty()) {
      step.set("allOf", stepBranches);
    }
    ObjectNode secret = (ObjectNode) defs.get("secret");
    ArrayNode secretBranches = f.arrayNode();
    ArrayNode sourceNames = f.arrayNode();
    for (SecretSource source : registry.secretSources()) {
      String def = source.name() + "Secret";
      defs.set(def, fragment(source.settings(), "secret source '" + source.name() + "'"));
      sourceNames.add(source.name());
      ObjectNode branch = secretBranches.addObject();
      branch.putObject("if").putArray("required").add(source.name());
      branch.putObject("then").put("$ref", "#/$defs/" + def);
    }
    if (!secretBranches.isEmpty()) {
      secret.set("allOf", secretBranches);
      secret.put(
          "description",
          secret.path("description").asString() + " One of: " + join(sourceNames) + ".");
    }
    composeState(registry, defs);
    return new Composed(doc, owners(registry));
  }

  /**
   * {@code state:}: each backend's keys become {@code $defs/<name>State}, applied when {@code
   * backend} names it; the engine's {@code backend} and {@code lease} are copied into each.
   */
  private static void composeState(Registry registry, ObjectNode defs) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode state = (ObjectNode) defs.get("state");
    ObjectNode own = (ObjectNode) state.get("properties");
    ArrayNode names = f.arrayNode();
    ArrayNode branches = f.arrayNode();
    for (dev.runctl.engine.spi.StateBackend b : registry.stateBackends()) {
      String def = b.name() + "State";
      ObjectNode fragment = fragment(b.settings(), "state backend '" + b.name() + "'");
      ObjectNode properties = own.deepCopy();
      fragment
          .path("properties")
          .properties()
          .forEach(e -> properties.set(e.getKey(), e.getValue()));
      fragment.set("properties", properties);
      defs.set(def, fragment);
      names.add(b.name());
      ObjectNode branch = branches.addObject();
      ObjectNode when = branch.putObject("if");
      when.putArray("required").add(StateKeys.BACKEND);
      when.putObject("properties").putObject(StateKeys.BACKEND).putArray("enum").add(b.name());
      branch.putObject("then").put("$ref", "#/$defs/" + def);
    }
    if (!branches.isEmpty()) {
      ObjectNode backend = (ObjectNode) own.get(StateKeys.BACKEND);
      backend.set("examples", names);
      backend.put(
          "description", backend.path("description").asString() + " One of: " + join(names) + ".");
      state.set("allOf", branches);
    }
  }

  private static ObjectNode fragment(SettingsSchema settings, String owner) {
    JsonNode node;
    try {
      node = SchemaTree.parse(settings.json());
    } catch (RuntimeException e) {
      throw new IllegalStateException(
          owner + " declares settings that are not JSON: " + e.getMessage(), e);
    }
    if (!(node instanceof ObjectNode o)) {
      throw new IllegalStateException(owner + " declares settings that are not a JSON object");
    }
    return o;
  }

  private static String join(ArrayNode names) {
    List<String> all = new java.util.ArrayList<>();
    names.forEach(n -> all.add(n.asString()));
    return String.join(", ", all);
  }

  static String core() {
    try (InputStream in = SchemaComposer.class.getResourceAsStream(CORE)) {
      if (in == null) {
        throw new IllegalStateException("the build did not package " + CORE);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
