package dev.latchkey.api.http;

import dev.latchkey.engine.framework.EngineException;
import dev.latchkey.engine.framework.Operation;
import dev.latchkey.engine.gocompat.GoFormat;
import dev.latchkey.engine.gocompat.GoStrconv;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The rules Vault's HTTP handler applies to a request before anything else sees it, as a pure
 * function of the method, the raw path, the query string and the content type: the API lives
 * under {@code /v1/}, an unclean path is redirected to its clean form, the path is percent-decoded
 * and must be printable, and the method becomes an operation ({@code LIST} and {@code GET ?list=true}
 * list; {@code POST} and {@code PUT} write, never to a path ending in {@code /}; {@code PATCH} needs
 * a merge-patch body). No socket and no body are involved, so every rule is tested with plain strings.
 */
final class RequestDecoder {
    /** What the frontend does with a request. */
    sealed interface Decision permits Refuse, Direct, Logical {
    }

    /** Answer this, once the body has been drained, and nothing else. */
    record Refuse(Reply reply) implements Decision {
    }

    /**
     * A path the HTTP layer answers itself, before the mount table (see {@link SysPaths}).
     *
     * @param query the query parameters
     */
    record Direct(String method, String path, Map<String, Object> query) implements Decision {
    }

    /**
     * A request for the dispatcher.
     *
     * @param path        the decoded path after {@code /v1/}; a list ends with {@code /}
     * @param queryFields the fields, for methods that take them from the query; null when they come
     *                    from the body
     */
    record Logical(Operation operation, String path, Map<String, Object> queryFields) implements Decision {
    }

    private final Set<String> directPaths;

    /** @param directPaths the paths (after {@code /v1/}) the HTTP layer answers itself */
    RequestDecoder(Set<String> directPaths) {
        this.directPaths = Set.copyOf(directPaths);
    }

    Decision decode(String method, String rawPath, String query, String contentType) {
        if (!rawPath.startsWith("/v1/")) {
            return refuse(404, "unsupported path " + describe(rawPath) + ": the API lives under /v1/");
        }
        String cleaned = PathCleaner.clean(rawPath);
        if (!cleaned.equals(rawPath)) {
            return new Refuse(Reply.movedPermanently(query == null ? cleaned : cleaned + "?" + query));
        }
        String path;
        try {
            path = PercentDecoder.decode(rawPath.substring(4));
        } catch (IllegalArgumentException e) {
            return refuse(400, "invalid request path: " + e.getMessage());
        }
        if (!PathCleaner.printable(path)) {
            return refuse(400, "Path cannot contain non-printable characters");
        }
        try {
            if (directPaths.contains(path)) {
                return new Direct(method, path, QueryParser.parse(query));
            }
            return logical(method, path, query, contentType);
        } catch (EngineException e) {
            return new Refuse(Renderer.error(e));
        } catch (IllegalArgumentException e) {
            return refuse(400, "invalid query string: " + e.getMessage());
        }
    }

    /** Method names are case-sensitive, as in Go: {@code get} is not {@code GET}. */
    private static Decision logical(String method, String path, String query, String contentType) {
        switch (method) {
            case "GET", "DELETE", "LIST" -> {
                Map<String, Object> fields = QueryParser.parse(query);
                Operation op = switch (method) {
                    case "DELETE" -> Operation.DELETE;
                    case "LIST" -> Operation.LIST;
                    default -> listRequested(fields) ? Operation.LIST : Operation.READ;
                };
                return new Logical(op, op == Operation.LIST && !path.endsWith("/") ? path + "/" : path, fields);
            }
            case "POST", "PUT" -> {
                refuseTrailingSlash(path);
                return new Logical(Operation.UPDATE, path, null);
            }
            case "PATCH" -> {
                refuseTrailingSlash(path);
                if (contentType == null
                        || !contentType.toLowerCase(Locale.ROOT).startsWith("application/merge-patch+json")) {
                    return refuse(415, "PATCH requires Content-Type of application/merge-patch+json, provided "
                            + (contentType == null ? "" : contentType));
                }
                return new Logical(Operation.PATCH, path, null);
            }
            default -> {
                return refuse(405, "unsupported HTTP method " + describe(method));
            }
        }
    }

    /** {@code GET ?list=<bool>}: the parameter is consumed, and must be one of Go's booleans. */
    private static boolean listRequested(Map<String, Object> fields) {
        Object list = fields.remove("list");
        if (list == null) {
            return false;
        }
        Boolean parsed = GoStrconv.parseBoolOrNull(list.toString());
        if (parsed == null) {
            throw EngineException.user("invalid value for list: it must be a boolean");
        }
        return parsed;
    }

    private static void refuseTrailingSlash(String path) {
        if (path.endsWith("/")) {
            throw EngineException.user("cannot write to a path ending in '/'");
        }
    }

    private static Refuse refuse(int status, String message) {
        return new Refuse(Renderer.error(status, message));
    }

    /** A short, printable rendering of client text for error messages. */
    private static String describe(String s) {
        return GoFormat.q(s.length() > 200 ? s.substring(0, 200) + "…" : s);
    }
}
