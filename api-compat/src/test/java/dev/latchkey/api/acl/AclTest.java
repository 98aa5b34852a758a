package dev.latchkey.api.acl;

import dev.latchkey.engine.framework.Operation;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Which rule decides, and what it allows, as Vault's ACL decides it. Each row is policies (each a
 * list of {@code pattern=capability,capability} separated by {@code ;}, policies by {@code |}), a
 * request, and whether it is allowed.
 */
class AclTest {
    @ParameterizedTest(name = "{0} {1} with [{2}]: {3}")
    @CsvSource(delimiter = '!', textBlock = """
            # op    ! path                      ! policies                                             ! allowed
            READ    ! secret/foo                ! secret/foo=read                                      ! true
            READ    ! secret/foo/               ! secret/foo=read                                      ! false
            READ    ! secret/foo/bar            ! secret/foo=read                                      ! false
            LIST    ! secret/foo/               ! secret/foo=list                                      ! true
            READ    ! secret/food               ! secret/foo*=read                                     ! true
            UPDATE  ! secret/food               ! secret/foo*=read                                     ! false
            # the exact rule is chosen before any glob: a deny on the glob does not stop it
            READ    ! secret/foo                ! secret/*=deny | secret/foo=read                      ! true
            # the same pattern in two policies: deny wins
            READ    ! secret/foo                ! secret/foo=read | secret/foo=deny                    ! false
            READ    ! secret/foo                ! secret/*=read | secret/*=deny                        ! false
            # the longest prefix wins, whatever it grants
            READ    ! secret/app/x              ! secret/*=deny | secret/app/*=read                    ! true
            READ    ! secret/app/x              ! secret/*=read | secret/app/*=deny                    ! false
            # capabilities of one pattern are unioned across policies
            UPDATE  ! secret/app/x              ! secret/app/*=read | secret/app/*=update              ! true
            # + is one whole segment
            READ    ! secret/a/teamb            ! secret/+/teamb=read                                  ! true
            READ    ! secret/a/b/teamb          ! secret/+/teamb=read                                  ! false
            READ    ! secret/a/data/x/y         ! secret/+/data/*=read                                 ! true
            READ    ! secret/a/datum            ! secret/+/data*=read                                  ! false
            # a later first wildcard wins: secret/a/+ (at 9) over secret/+/b (at 7)
            READ    ! secret/a/b                ! secret/+/b=deny | secret/a/+=read                    ! true
            READ    ! secret/a/b                ! secret/+/b=read | secret/a/+=deny                    ! false
            # a prefix rule against a + rule: the glob of secret/a* is at 8, the + of secret/+/b at 7
            READ    ! secret/a/b                ! secret/a*=read | secret/+/b=deny                     ! true
            # same first wildcard: not a prefix wins over a prefix
            READ    ! secret/a/b                ! secret/+/b=read | secret/+/b*=deny                   ! true
            # same position and kind: fewer + wins
            READ    ! secret/x/b/c              ! secret/+/b/c=read | secret/+/+/c=deny                ! true
            # sudo where the path demands it
            UPDATE  ! sys/rotate                ! sys/rotate=update                                    ! false
            UPDATE  ! sys/rotate                ! sys/rotate=update,sudo                               ! true
            # no rule: denied
            READ    ! other/x                   ! secret/*=read                                        ! false
            LIST    ! secret/                   ! secret/*=list                                        ! true
            LIST    ! secret/                   ! secret=list                                          ! true
            """)
    void theChosenRuleDecides(String op, String path, String policies, boolean allowed) {
        Acl acl = Acl.of(policies(policies));
        boolean sudo = path.equals("sys/rotate");
        assertEquals(allowed, acl.allows(path, Operation.valueOf(op), sudo));
    }

    @ParameterizedTest(name = "{0} with {1}: {2}")
    @CsvSource(delimiter = '!', textBlock = """
            # rule body                                                                  ! request parameters  ! allowed
            allowed_parameters = { "ttl" = ["1h", "2h"] }                                 ! ttl=1h              ! true
            allowed_parameters = { "ttl" = ["1h", "2h"] }                                 ! ttl=3h              ! false
            allowed_parameters = { "ttl" = ["1h"] }                                       ! TTL=1h              ! true
            allowed_parameters = { "ttl" = [] }                                           ! ttl=anything        ! true
            allowed_parameters = { "ttl" = [] }                                           ! ttl=1h,cert_type=x  ! false
            allowed_parameters = { "ttl" = [] "*" = [] }                                  ! ttl=1h,cert_type=x  ! true
            allowed_parameters = { "valid_principals" = ["dev-*"] }                       ! valid_principals=dev-alice ! true
            allowed_parameters = { "valid_principals" = ["dev-*"] }                       ! valid_principals=ops-bob   ! false
            allowed_parameters = { "key_id" = ["*-ci"] }                                  ! key_id=build-ci     ! true
            allowed_parameters = { "key_id" = ["*ci*"] }                                  ! key_id=x-cix        ! true
            allowed_parameters = { "ttl" = ["1h"] }                                       ! ''                  ! true
            denied_parameters = { "ttl" = [] }                                            ! ttl=1h              ! false
            denied_parameters = { "ttl" = ["24h"] }                                       ! ttl=1h              ! true
            denied_parameters = { "ttl" = ["24h"] }                                       ! ttl=24h             ! false
            denied_parameters = { "*" = [] }                                              ! ttl=1h              ! false
            denied_parameters = { "*" = [] }                                              ! ''                  ! true
            required_parameters = ["public_key"]                                          ! ''                  ! false
            required_parameters = ["public_key"]                                          ! public_key=ssh-ed25519 ! true
            max_wrapping_ttl = "1h"                                                       ! ''                  ! false
            """)
    void parameterConstraints(String body, String parameters, boolean allowed) {
        String text = "path \"ssh/sign/dev\" {\n capabilities = [\"update\"]\n "
                + body.replace("] \"", "]\n \"") + "\n}";
        Acl acl = Acl.of(List.of(PolicyParser.parse(text)));
        Map<String, Object> fields = new java.util.LinkedHashMap<>();
        if (!parameters.isEmpty()) {
            for (String kv : parameters.split(",")) {
                String[] p = kv.split("=", 2);
                fields.put(p[0], p[1]);
            }
        }
        assertEquals(allowed, acl.allows("ssh/sign/dev", Capability.UPDATE, false, fields));
    }

    private static List<List<PathRule>> policies(String text) {
        List<List<PathRule>> out = new ArrayList<>();
        for (String policy : text.split("\\|")) {
            StringBuilder hcl = new StringBuilder();
            for (String rule : policy.trim().split(";")) {
                String[] p = rule.trim().split("=", 2);
                StringBuilder caps = new StringBuilder();
                for (String c : p[1].split(",")) {
                    caps.append(caps.length() == 0 ? "" : ", ").append('"').append(c.trim()).append('"');
                }
                hcl.append("path \"").append(p[0].trim()).append("\" {\n capabilities = [").append(caps).append("]\n}\n");
            }
            out.add(PolicyParser.parse(hcl.toString()));
        }
        return out;
    }
}
