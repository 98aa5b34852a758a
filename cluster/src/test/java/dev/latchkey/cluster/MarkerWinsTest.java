package dev.latchkey.cluster;

import com.hazelcast.spi.merge.MergingValue;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertSame;

/** The OTP map's merge after a split heals: a consumed marker on either side wins. */
class MarkerWinsTest {
    private static final Object LIVE = "live";
    private static final Object CONSUMED = "consumed";
    private static final Object OTHER_LIVE = "other-live";

    private static MergingValue<Object> value(String kind) {
        byte[] bytes = kind.equals("consumed") ? HazelcastStorage.MARKER
                : kind.getBytes(StandardCharsets.UTF_8);
        Object raw = switch (kind) {
            case "consumed" -> CONSUMED;
            case "live" -> LIVE;
            default -> OTHER_LIVE;
        };
        return new MergingValue<>() {
            @Override
            public Object getDeserializedValue() {
                return bytes;
            }

            @Override
            public Object getRawValue() {
                return raw;
            }
        };
    }

    @ParameterizedTest(name = "merging {0} into {1} keeps {2}")
    @CsvSource({
            "live,      absent,     live",
            "consumed,  absent,     consumed",
            "consumed,  live,       consumed",
            "live,      consumed,   consumed",
            "consumed,  consumed,   consumed",
            "other-live, live,      live",
    })
    void aConsumedMarkerWins(String merging, String existing, String kept) {
        Object result = new MarkerWins().merge(value(merging), existing.equals("absent") ? null : value(existing));
        assertSame(switch (kept) {
            case "consumed" -> CONSUMED;
            case "live" -> LIVE;
            default -> OTHER_LIVE;
        }, result);
    }
}
