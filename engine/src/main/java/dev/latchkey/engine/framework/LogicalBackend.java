package dev.latchkey.engine.framework;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;

/**
 * A backend made of {@link PathSpec}s: finds the path, checks the operation, converts every
 * declared field before the handler runs, and adds Vault's warnings about ignored and replaced
 * parameters.
 */
public abstract class LogicalBackend implements Backend {
    /** Go's sort.Strings order: bytewise UTF-8, which is code-point order (not Java's UTF-16 order). */
    private static final Comparator<String> GO_ORDER =
            (a, b) -> Arrays.compare(a.codePoints().toArray(), b.codePoints().toArray());

    private final List<PathSpec> paths = new ArrayList<>();

    protected final void register(PathSpec spec) {
        paths.add(spec);
    }

    @Override
    public final Response handle(Request request) {
        for (PathSpec spec : paths) {
            Matcher m = spec.match(request.path());
            if (m == null) {
                continue;
            }
            Handler handler = spec.handler(request.operation());
            if (handler == null) {
                throw EngineException.unsupportedOperation();
            }
            Map<String, Object> raw = request.rawFields();
            Map<String, Object> converted = new HashMap<>();
            TreeSet<String> unknown = new TreeSet<>(GO_ORDER);
            for (Map.Entry<String, Object> e : raw.entrySet()) {
                FieldType type = spec.fields().get(e.getKey());
                if (type == null || spec.captures().containsValue(e.getKey())) {
                    if (type == null) {
                        unknown.add(e.getKey());
                    }
                    continue;
                }
                converted.put(e.getKey(), convert(e.getKey(), type, e.getValue()));
            }
            TreeSet<String> replaced = new TreeSet<>(GO_ORDER);
            for (Map.Entry<String, String> c : spec.captures().entrySet()) {
                String value = m.group(c.getKey());
                if (value == null) {
                    continue;
                }
                if (raw.containsKey(c.getValue())) {
                    replaced.add(c.getValue());
                }
                converted.put(c.getValue(), value);
            }
            Response response = handler.handle(request, new Fields(converted));
            if (response.hasBody() && response.raw() == null) {
                if (!replaced.isEmpty()) {
                    response.withWarning("Endpoint replaced the value of these parameters with the values captured "
                            + "from the endpoint's path: [" + String.join(" ", replaced) + "]");
                }
                if (!unknown.isEmpty()) {
                    response.withWarning("Endpoint ignored these unrecognized parameters: ["
                            + String.join(" ", unknown) + "]");
                }
            }
            return response;
        }
        throw EngineException.unsupportedPath();
    }

    private static Object convert(String name, FieldType type, Object value) {
        try {
            return FieldConverter.convert(type, value);
        } catch (FieldConversionException e) {
            throw EngineException.user("Field validation failed: error converting input " + GoFormat.v(value)
                    + " for field \"" + name + "\": " + e.getMessage());
        }
    }

    @Override
    public boolean isUnauthenticated(String path) {
        for (PathSpec spec : paths) {
            if (spec.isUnauthenticated() && spec.match(path) != null) {
                return true;
            }
        }
        return false;
    }
}
