package dev.runctl.engine.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runctl.engine.spi.ConfigNode;
import dev.runctl.engine.spi.Position;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExpressionsTest {
  private static ConfigNode text(String s) {
    return new ConfigNode.Scalar(s, ConfigNode.Kind.STRING, Position.UNKNOWN);
  }

  private static ConfigNode.Mapping mapping(Map<String, ConfigNode> entries) {
    return new ConfigNode.Mapping(new LinkedHashMap<>(entries), Map.of(), Position.UNKNOWN);
  }

  @Test
  void anyFindsAnExpressionAtAnyDepthAndOnlyInStrings() {
    ConfigNode plain =
        mapping(
            Map.of(
                "command",
                    new ConfigNode.Seq(List.of(text("true"), text("$HOME")), Position.UNKNOWN),
                "count", new ConfigNode.Scalar("3", ConfigNode.Kind.INT, Position.UNKNOWN)));
    ConfigNode deep =
        mapping(
            Map.of(
                "with",
                mapping(
                    Map.of(
                        "args",
                        new ConfigNode.Seq(
                            List.of(text("--lr"), text("${{ steps.tune.outputs.lr }}")),
                            Position.UNKNOWN)))));

    assertThat(Expressions.any(plain)).isFalse();
    assertThat(Expressions.any(deep)).isTrue();
    assertThat(Expressions.any(text("run ${{ run.id }}"))).isTrue();
    assertThat(Expressions.any(mapping(Map.of()))).isFalse();
  }
}
