package dev.latchkey.engine.framework;

import dev.latchkey.engine.gocompat.GoFormat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;

/**
 * A backend made of {@link PathSpec}s and {@link SecretType}s: finds the path, checks the
 * operation, converts every declared field before the handler runs, and adds Vault's warnings
 * about ignored and replaced parameters; hands a leased secret back to the type that declared it.
 */
public abstract class LogicalBackend implements Backend {
    private final List<PathSpec> paths = new ArrayList<>();
    private final Map<String, SecretType> secrets = new HashMap<>();

    protected final void register(PathSpec spec) {
        paths.add(spec);
    }

    protected final void register(SecretType secret) {
        if (secrets.putIfAbsent(secret.name(), secret) != null) {
            throw new IllegalStateException("secret type " + secret.name() + " is declared twice");
        }
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
            NameList unknown = new NameList();
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
            TreeSet<String> replaced = new TreeSet<>(GoFormat.SORT_ORDER);
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
            if (response.deferred() != null) {
                return Response.later(response.deferred().thenApply(r -> withFieldWarnings(r, replaced, unknown)));
            }
            return withFieldWarnings(response, replaced, unknown);
        }
        throw EngineException.unsupportedPath();
    }

    private static Response withFieldWarnings(Response response, TreeSet<String> replaced, NameList unknown) {
        if (response.hasBody() && response.raw() == null) {
            if (!replaced.isEmpty()) {
                response.withWarning("Endpoint replaced the value of these parameters with the values captured "
                        + "from the endpoint's path: [" + String.join(" ", replaced) + "]");
            }
            if (!unknown.isEmpty()) {
                response.withWarning("Endpoint ignored these unrecognized parameters: [" + unknown.joined() + "]");
            }
        }
        return response;
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
    public final boolean isUnauthenticated(String path) {
        return paths.stream().anyMatch(spec -> spec.isUnauthenticated() && spec.match(path) != null);
    }

    @Override
    public final Optional<Boolean> exists(String path) {
        for (PathSpec spec : paths) {
            Matcher m = spec.match(path);
            if (m == null) {
                continue;
            }
            if (spec.existence() == null) {
                return Optional.empty();
            }
            Map<String, Object> captured = new HashMap<>();
            for (Map.Entry<String, String> c : spec.captures().entrySet()) {
                String value = m.group(c.getKey());
                if (value != null) {
                    captured.put(c.getValue(), value);
                }
            }
            return Optional.of(spec.existence().test(new Fields(captured)));
        }
        return Optional.empty();
    }

    @Override
    public final Optional<String> family(String path) {
        for (PathSpec spec : paths) {
            if (spec.match(path) != null) {
                return Optional.of(spec.family());
            }
        }
        return Optional.empty();
    }

    @Override
    public final boolean requiresSudo(String path) {
        return paths.stream().anyMatch(spec -> spec.requiresSudo() && spec.match(path) != null);
    }

    /** Vault's answer for a lease whose type this backend does not declare. */
    @Override
    public final void revoke(LeasedSecret secret) {
        SecretType type = secrets.get(secret.type());
        if (type == null) {
            throw EngineException.user("secret is unsupported by this backend");
        }
        type.revoke(secret.internalData());
    }

    @Override
    public final boolean revokesOverNetwork(String secretType) {
        SecretType type = secrets.get(secretType);
        return type != null && type.isRevokedOverNetwork();
    }
}
