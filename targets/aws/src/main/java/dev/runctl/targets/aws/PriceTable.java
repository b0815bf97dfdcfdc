package dev.runctl.targets.aws;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.Optional;
import java.util.Properties;

/**
 * On-demand list prices (USD per hour, Linux) kept in the project as a dated resource file, for
 * plan's budget check and for cost when AWS's pricing API is not reachable. Spot prices are live:
 * they come from DescribeSpotPriceHistory at provision time.
 */
public final class PriceTable {
  private static final String RESOURCE = "on-demand-prices.properties";
  private final Properties prices;
  private final String asOf;

  /** A price and the date of the table it came from. */
  public record Price(BigDecimal perHour, String asOf) {}

  private PriceTable(Properties prices) {
    this.prices = prices;
    this.asOf = prices.getProperty("as_of", "unknown date");
  }

  public static PriceTable load() {
    Properties p = new Properties();
    try (InputStream in = PriceTable.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("price table " + RESOURCE + " missing from the build");
      }
      p.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new PriceTable(p);
  }

  public Optional<Price> onDemand(String region, String instanceType) {
    return Optional.ofNullable(prices.getProperty(region + "/" + instanceType))
        .map(v -> new Price(new BigDecimal(v.trim()), asOf));
  }

  public String asOf() {
    return asOf;
  }
}
