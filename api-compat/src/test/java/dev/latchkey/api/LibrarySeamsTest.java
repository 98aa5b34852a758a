package dev.latchkey.api;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** Each library is used behind one package of this module, so that it can be replaced there alone. */
class LibrarySeamsTest {
    private static final JavaClasses CLASSES = new ClassFileImporter().importPath(Path.of("target", "classes"));

    @ParameterizedTest(name = "[{index}] {0} only in {1}")
    @CsvSource(delimiter = '|', textBlock = """
            io.prometheus..  | dev.latchkey.api.metrics..
            com.nimbusds..   | dev.latchkey.api.auth.jwt..
            """)
    void aLibraryIsReachedThroughItsSeamOnly(String library, String seam) {
        noClasses().that().resideOutsideOfPackage(seam).should().dependOnClassesThat().resideInAPackage(library)
                .check(CLASSES);
    }
}
