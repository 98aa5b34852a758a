package dev.latchkey.api.testing;

import dev.latchkey.testing.VaultErrors;
import io.restassured.response.Response;

import java.util.List;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.emptyString;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

/** Assertions on Vault's answers as clients see them; each failure shows the whole body. */
public final class HttpAssertions {
    private HttpAssertions() {
    }

    /** The status and the {@code errors} list, which holds exactly this message. */
    public static void assertError(Response r, int status, String message) {
        assertThat(r.asString(), r.statusCode(), is(status));
        assertThat(r.asString(), r.jsonPath().getList("errors"), contains(message));
    }

    /** For messages whose tail is a parser's reason, which Vault does not fix: one error, prefix and some reason. */
    public static void assertErrorStartsWith(Response r, int status, String prefix) {
        assertThat(r.asString(), r.statusCode(), is(status));
        List<String> errors = r.jsonPath().getList("errors");
        assertThat(r.asString(), errors, hasSize(1));
        assertThat(r.asString(), errors.get(0), startsWith(prefix));
        assertThat("a reason follows the prefix: " + r.asString(), errors.get(0).substring(prefix.length()),
                not(emptyString()));
    }

    /** A write or delete that succeeded: 204 and no body at all. */
    public static void assertNoContent(Response r) {
        assertThat(r.asString(), r.statusCode(), is(204));
        assertThat(r.asString(), emptyString());
    }

    /** A read or list that found nothing: 404 with exactly Vault's empty errors body, which clients rely on. */
    public static void assertNotFound(Response r) {
        assertThat(r.asString(), r.statusCode(), is(404));
        assertThat(r.asString(), is(VaultErrors.EMPTY_ERRORS_BODY));
    }
}
