package dev.latchkey.cluster;

import dev.latchkey.engine.storage.CorruptRecordException;
import dev.latchkey.engine.storage.JsonValues;

import javax.crypto.SecretKey;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The barrier's keys, as in Vault ({@code vault/keyring.go}): a root key, which only ever seals the
 * keyring itself, and the data keys by <em>term</em>. Every stored value names the term whose key
 * sealed it; new values use the highest (active) term, and rotating adds a term without dropping
 * any, so everything stored before stays readable. Immutable: a rotation makes a new keyring.
 *
 * <p>Serialised as Vault serialises it: {@code {"MasterKey":…,"Keys":[{"Term":1,"Version":1,
 * "Value":…,"InstallTime":…}]}}, keys in standard base64.
 */
public final class Keyring {
    /** One data key: its term, the key, and when it was installed. */
    public record Term(int term, byte[] key, Instant installTime, SecretKey secretKey) {
        Term(int term, byte[] key, Instant installTime) {
            this(term, key, installTime, AesGcm.key(key));
        }

        @Override
        public String toString() {
            return "Term[" + term + ", installed " + installTime + "]";
        }
    }

    private final byte[] rootKey;
    private final NavigableMap<Integer, Term> terms;

    private Keyring(byte[] rootKey, NavigableMap<Integer, Term> terms) {
        if (rootKey == null || rootKey.length != AesGcm.KEY_BYTES) {
            throw new IllegalArgumentException("the root key must be 32 bytes");
        }
        if (terms.isEmpty()) {
            throw new IllegalArgumentException("a keyring has at least one term");
        }
        this.rootKey = rootKey;
        this.terms = Collections.unmodifiableNavigableMap(terms);
    }

    /** A keyring whose first term (1) holds {@code firstKey}. Both arrays are kept, not copied. */
    public static Keyring create(byte[] rootKey, byte[] firstKey, Instant now) {
        TreeMap<Integer, Term> terms = new TreeMap<>();
        terms.put(1, new Term(1, firstKey, now));
        return new Keyring(rootKey, terms);
    }

    /** This keyring with one more term, holding {@code key}, which becomes the active term. */
    public Keyring withNewTerm(byte[] key, Instant now) {
        TreeMap<Integer, Term> more = new TreeMap<>(terms);
        int next = activeTerm() + 1;
        more.put(next, new Term(next, key, now));
        return new Keyring(rootKey, more);
    }

    public byte[] rootKey() {
        return rootKey;
    }

    public int activeTerm() {
        return terms.lastKey();
    }

    public Term active() {
        return terms.lastEntry().getValue();
    }

    /** The term's key, or null when this keyring has no such term. */
    public Term term(int term) {
        return terms.get(term);
    }

    public List<Term> terms() {
        return List.copyOf(terms.values());
    }

    /**
     * Overwrites the key bytes this keyring holds. The JCE's copies inside the cipher keys cannot be
     * wiped on Java 17; dropping every reference to them is the rest of forgetting.
     */
    public void destroy() {
        Arrays.fill(rootKey, (byte) 0);
        terms.values().forEach(t -> Arrays.fill(t.key(), (byte) 0));
    }

    public byte[] serialize() {
        Base64.Encoder b64 = Base64.getEncoder();
        List<Map<String, Object>> keys = new ArrayList<>();
        for (Term t : terms.values()) {
            Map<String, Object> k = new LinkedHashMap<>();
            k.put("Term", t.term());
            k.put("Version", 1);
            k.put("Value", b64.encodeToString(t.key()));
            k.put("InstallTime", t.installTime().toString());
            keys.add(k);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("MasterKey", b64.encodeToString(rootKey));
        out.put("Keys", keys);
        return JsonValues.encode(out);
    }

    public static Keyring deserialize(byte[] json) {
        try {
            Map<String, Object> in = JsonValues.decode(json);
            Base64.Decoder b64 = Base64.getDecoder();
            byte[] root = b64.decode((String) in.get("MasterKey"));
            TreeMap<Integer, Term> terms = new TreeMap<>();
            for (Object o : (List<?>) in.get("Keys")) {
                Map<?, ?> k = (Map<?, ?>) o;
                int term = ((Number) k.get("Term")).intValue();
                terms.put(term, new Term(term, b64.decode((String) k.get("Value")),
                        Instant.parse((String) k.get("InstallTime"))));
            }
            return new Keyring(root, terms);
        } catch (ClassCastException | NullPointerException | IllegalArgumentException | DateTimeParseException e) {
            throw new CorruptRecordException("the stored keyring is malformed", e);
        }
    }

    @Override
    public String toString() {
        return "Keyring[active term " + activeTerm() + "]";
    }
}
