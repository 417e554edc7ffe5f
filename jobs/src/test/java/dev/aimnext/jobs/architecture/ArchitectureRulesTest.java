package dev.aimnext.jobs.architecture;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** Dependency rules of the architecture, checked over the production classes of every module. */
@AnalyzeClasses(packages = "dev.aimnext", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureRulesTest {

    /** Logic lives in operators/ and must stay reachable by unit tests without jobs or Kafka wiring. */
    @ArchTest
    static final ArchRule operatorsDoNotDependOnJobs =
            noClasses().that().resideInAPackage("dev.aimnext.operators..")
                    .should().dependOnClassesThat().resideInAPackage("dev.aimnext.jobs..");

    /** The wire contract knows nothing of detection logic or jobs. */
    @ArchTest
    static final ArchRule schemasStandAlone =
            noClasses().that().resideInAPackage("dev.aimnext.schemas..")
                    .should().dependOnClassesThat().resideInAnyPackage("dev.aimnext.operators..", "dev.aimnext.jobs..");

    /**
     * Untrusted text is matched with RE2/J only: java.util.regex backtracks and can be driven into
     * exponential time (ReDoS) by crafted input.
     */
    @ArchTest
    static final ArchRule noBacktrackingRegex =
            noClasses().should().dependOnClassesThat().resideInAPackage("java.util.regex..")
                    .because("patterns over untrusted text must use RE2/J (linear time)");
}
