package dev.latchkey.api.http;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Vault's request rules without a socket: each row is a request line (method, raw path, query,
 * content type; {@code ~} for none) and what the decoder makes of it, written as
 * {@code logical OPERATION path query-fields}, {@code direct METHOD path query} or
 * {@code refuse STATUS body} ({@code Location} added for a redirect).
 */
class RequestDecoderTest {
    private static final RequestDecoder DECODER = new RequestDecoder(Set.of("sys/health", "sys/init"));

    @ParameterizedTest(name = "[{index}] {0} {1} ? {2}")
    @CsvSource(delimiter = '|', nullValues = "~", textBlock = """
            GET    | /v1/sys/mounts            | ~                | ~    | logical READ sys/mounts {}
            GET    | /v1/ssh/roles/web         | a=1&a=2          | ~    | logical READ ssh/roles/web {a=1,2}
            DELETE | /v1/ssh/roles/web         | ~                | ~    | logical DELETE ssh/roles/web {}
            LIST   | /v1/ssh/roles             | ~                | ~    | logical LIST ssh/roles/ {}
            LIST   | /v1/ssh/roles/            | ~                | ~    | logical LIST ssh/roles/ {}
            GET    | /v1/ssh/roles             | list=true        | ~    | logical LIST ssh/roles/ {}
            GET    | /v1/ssh/roles             | list=1&x=y       | ~    | logical LIST ssh/roles/ {x=y}
            GET    | /v1/ssh/roles             | list=F           | ~    | logical READ ssh/roles {}
            GET    | /v1/ssh/roles             | list=yes         | ~    | refuse 400 {"errors":["invalid value for list: it must be a boolean"]}
            DELETE | /v1/ssh/roles             | list=true        | ~    | logical DELETE ssh/roles {list=true}
            POST   | /v1/ssh/creds/web         | ignored=%zz      | ~    | logical UPDATE ssh/creds/web body
            PUT    | /v1/ssh/creds/web         | ~                | ~    | logical UPDATE ssh/creds/web body
            PUT    | /v1/ssh/roles/            | ~                | ~    | refuse 400 {"errors":["cannot write to a path ending in '/'"]}
            GET    | /v1/ssh/roles/web         | a=%zz            | ~    | refuse 400 {"errors":["invalid query string: invalid percent escape"]}
            PATCH  | /v1/ssh/roles/web         | ~                | ~    | refuse 415 {"errors":["PATCH requires Content-Type of application/merge-patch+json, provided "]}
            PATCH  | /v1/ssh/roles/web         | ~                | text/plain | refuse 415 {"errors":["PATCH requires Content-Type of application/merge-patch+json, provided text/plain"]}
            PATCH  | /v1/ssh/roles/web         | ~                | application/merge-patch+json | logical PATCH ssh/roles/web body
            PATCH  | /v1/ssh/roles/            | ~                | application/merge-patch+json | refuse 400 {"errors":["cannot write to a path ending in '/'"]}
            get    | /v1/sys/mounts            | ~                | ~    | refuse 405 {"errors":["unsupported HTTP method \\"get\\""]}
            OPTIONS| /v1/sys/mounts            | ~                | ~    | refuse 405 {"errors":["unsupported HTTP method \\"OPTIONS\\""]}
            GET    | /v2/sys/mounts            | ~                | ~    | refuse 404 {"errors":["unsupported path \\"/v2/sys/mounts\\": the API lives under /v1/"]}
            GET    | /v1//sys/mounts           | ~                | ~    | refuse 301 Location=/v1/sys/mounts
            GET    | /v1/ssh/./roles/../roles/ | list=true        | ~    | refuse 301 Location=/v1/ssh/roles/?list=true
            GET    | /v1/ssh/roles/a%2Fb       | ~                | ~    | logical READ ssh/roles/a/b {}
            GET    | /v1/ssh/roles/a%zz        | ~                | ~    | refuse 400 {"errors":["invalid request path: invalid percent escape"]}
            GET    | /v1/ssh/roles/a%07        | ~                | ~    | refuse 400 {"errors":["Path cannot contain non-printable characters"]}
            GET    | /v1/sys/health            | standbyok=true   | ~    | direct GET sys/health {standbyok=true}
            HEAD   | /v1/sys/health            | ~                | ~    | direct HEAD sys/health {}
            PUT    | /v1/sys/init              | ~                | ~    | direct PUT sys/init {}
            GET    | /v1/sys/health/           | ~                | ~    | logical READ sys/health/ {}
            """)
    void decodes(String method, String rawPath, String query, String contentType, String expected) {
        assertEquals(expected, describe(DECODER.decode(method, rawPath, query, contentType)));
    }

    private static String describe(RequestDecoder.Decision decision) {
        if (decision instanceof RequestDecoder.Logical l) {
            return "logical " + l.operation() + " " + l.path() + " "
                    + (l.queryFields() == null ? "body" : l.queryFields().toString());
        }
        if (decision instanceof RequestDecoder.Direct d) {
            return "direct " + d.method() + " " + d.path() + " " + d.query();
        }
        Reply reply = ((RequestDecoder.Refuse) decision).reply();
        String location = reply.headers().get("Location");
        return "refuse " + reply.status() + " " + (location != null ? "Location=" + location
                : new String(reply.body(), StandardCharsets.UTF_8).strip());
    }
}
