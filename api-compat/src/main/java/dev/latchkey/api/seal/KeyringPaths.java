package dev.latchkey.api.seal;

import dev.latchkey.engine.framework.Fields;
import dev.latchkey.engine.framework.Operation;
import dev.latchkey.engine.framework.PathSpec;
import dev.latchkey.engine.framework.Request;
import dev.latchkey.engine.framework.Response;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code sys/key-status} ({@code read}) and {@code sys/rotate} ({@code update} and {@code sudo}),
 * with OpenBao's alias {@code sys/rotate/keyring}: the barrier's active term, and a new one.
 * Relative to the {@code sys/} mount.
 */
public final class KeyringPaths {
    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss")
            .withZone(ZoneOffset.UTC);

    private final SealCore core;

    public KeyringPaths(SealCore core) {
        this.core = core;
    }

    public List<PathSpec> specs() {
        return List.of(
                PathSpec.path("key-status").on(Operation.READ, this::keyStatus),
                PathSpec.path("rotate").sudo().on(Operation.UPDATE, this::rotate),
                PathSpec.path("rotate/keyring").sudo().on(Operation.UPDATE, this::rotate));
    }

    private Response keyStatus(Request r, Fields f) {
        KeyStatus status = core.keyStatus();
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("term", status.term());
        d.put("install_time", rfc3339Nano(status.installTime()));
        d.put("encryptions", status.encryptions());
        return Response.of(d).withDataAtTopLevel();
    }

    private Response rotate(Request r, Fields f) {
        core.rotate();
        return Response.empty();
    }

    /** Go's {@code time.RFC3339Nano} in UTC: the fraction without trailing zeros, none when whole. */
    public static String rfc3339Nano(Instant t) {
        StringBuilder out = new StringBuilder(SECONDS.format(t));
        int nanos = t.getNano();
        if (nanos != 0) {
            String fraction = String.format("%09d", nanos).replaceAll("0+$", "");
            out.append('.').append(fraction);
        }
        return out.append('Z').toString();
    }
}
