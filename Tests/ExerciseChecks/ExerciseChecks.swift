// One solution test, one learner test and one wrong-implementation test per exercise.
// Kept in step with Catalog.all by hand: CatalogTests compares `testedExerciseIDs` (below) with
// the catalog, not the methods themselves.

final class Lesson1Checks: ExerciseTestCase {
    func test1_1_solution() { solutionPasses("1.1") }
    func test1_1_exercise() throws { try learnerPasses("1.1") }
    func test1_1_rejectsWrongAnswers() { wrongAnswersRejected("1.1") }
    func test1_2_solution() { solutionPasses("1.2") }
    func test1_2_exercise() throws { try learnerPasses("1.2") }
    func test1_2_rejectsWrongAnswers() { wrongAnswersRejected("1.2") }
    func test1_3_solution() { solutionPasses("1.3") }
    func test1_3_exercise() throws { try learnerPasses("1.3") }
    func test1_3_rejectsWrongAnswers() { wrongAnswersRejected("1.3") }
}

final class Lesson2Checks: ExerciseTestCase {
    func test2_1_solution() { solutionPasses("2.1") }
    func test2_1_exercise() throws { try learnerPasses("2.1") }
    func test2_1_rejectsWrongAnswers() { wrongAnswersRejected("2.1") }
    func test2_2_solution() { solutionPasses("2.2") }
    func test2_2_exercise() throws { try learnerPasses("2.2") }
    func test2_2_rejectsWrongAnswers() { wrongAnswersRejected("2.2") }
    func test2_3_solution() { solutionPasses("2.3") }
    func test2_3_exercise() throws { try learnerPasses("2.3") }
    func test2_3_rejectsWrongAnswers() { wrongAnswersRejected("2.3") }
    func test2_4_solution() { solutionPasses("2.4") }
    func test2_4_exercise() throws { try learnerPasses("2.4") }
    func test2_4_rejectsWrongAnswers() { wrongAnswersRejected("2.4") }
    func test2_5_solution() { solutionPasses("2.5") }
    func test2_5_exercise() throws { try learnerPasses("2.5") }
    func test2_5_rejectsWrongAnswers() { wrongAnswersRejected("2.5") }
    func test2_6_solution() { solutionPasses("2.6") }
    func test2_6_exercise() throws { try learnerPasses("2.6") }
    func test2_6_rejectsWrongAnswers() { wrongAnswersRejected("2.6") }
}

final class Lesson3Checks: ExerciseTestCase {
    func test3_1_solution() { solutionPasses("3.1") }
    func test3_1_exercise() throws { try learnerPasses("3.1") }
    func test3_1_rejectsWrongAnswers() { wrongAnswersRejected("3.1") }
    func test3_2_solution() { solutionPasses("3.2") }
    func test3_2_exercise() throws { try learnerPasses("3.2") }
    func test3_2_rejectsWrongAnswers() { wrongAnswersRejected("3.2") }
    func test3_3_solution() { solutionPasses("3.3") }
    func test3_3_exercise() throws { try learnerPasses("3.3") }
    func test3_3_rejectsWrongAnswers() { wrongAnswersRejected("3.3") }
}

final class Lesson4Checks: ExerciseTestCase {
    func test4_1_solution() { solutionPasses("4.1") }
    func test4_1_exercise() throws { try learnerPasses("4.1") }
    func test4_1_rejectsWrongAnswers() { wrongAnswersRejected("4.1") }
    func test4_2_solution() { solutionPasses("4.2") }
    func test4_2_exercise() throws { try learnerPasses("4.2") }
    func test4_2_rejectsWrongAnswers() { wrongAnswersRejected("4.2") }
    func test4_3_solution() { solutionPasses("4.3") }
    func test4_3_exercise() throws { try learnerPasses("4.3") }
    func test4_3_rejectsWrongAnswers() { wrongAnswersRejected("4.3") }
}

final class Lesson5Checks: ExerciseTestCase {
    func test5_1_solution() { solutionPasses("5.1") }
    func test5_1_exercise() throws { try learnerPasses("5.1") }
    func test5_1_rejectsWrongAnswers() { wrongAnswersRejected("5.1") }
    func test5_2_solution() { solutionPasses("5.2") }
    func test5_2_exercise() throws { try learnerPasses("5.2") }
    func test5_2_rejectsWrongAnswers() { wrongAnswersRejected("5.2") }
    func test5_3_solution() { solutionPasses("5.3") }
    func test5_3_exercise() throws { try learnerPasses("5.3") }
    func test5_3_rejectsWrongAnswers() { wrongAnswersRejected("5.3") }
    func test5_4_solution() { solutionPasses("5.4") }
    func test5_4_exercise() throws { try learnerPasses("5.4") }
    func test5_4_rejectsWrongAnswers() { wrongAnswersRejected("5.4") }
}

final class Lesson6Checks: ExerciseTestCase {
    func test6_1_solution() { solutionPasses("6.1") }
    func test6_1_exercise() throws { try learnerPasses("6.1") }
    func test6_1_rejectsWrongAnswers() { wrongAnswersRejected("6.1") }
    func test6_2_solution() { solutionPasses("6.2") }
    func test6_2_exercise() throws { try learnerPasses("6.2") }
    func test6_2_rejectsWrongAnswers() { wrongAnswersRejected("6.2") }
    func test6_3_solution() { solutionPasses("6.3") }
    func test6_3_exercise() throws { try learnerPasses("6.3") }
    func test6_3_rejectsWrongAnswers() { wrongAnswersRejected("6.3") }
    func test6_4_solution() { solutionPasses("6.4") }
    func test6_4_exercise() throws { try learnerPasses("6.4") }
    func test6_4_rejectsWrongAnswers() { wrongAnswersRejected("6.4") }
}

/// The ids the classes above test.
let testedExerciseIDs = ["1.1", "1.2", "1.3", "2.1", "2.2", "2.3", "2.4", "2.5", "2.6", "3.1", "3.2", "3.3", "4.1", "4.2", "4.3", "5.1", "5.2", "5.3", "5.4", "6.1", "6.2", "6.3", "6.4", "7.1", "7.2", "7.3"]

final class Lesson7Checks: ExerciseTestCase {
    func test7_1_solution() { solutionPasses("7.1") }
    func test7_1_exercise() throws { try learnerPasses("7.1") }
    func test7_1_rejectsWrongAnswers() { wrongAnswersRejected("7.1") }
    func test7_2_solution() { solutionPasses("7.2") }
    func test7_2_exercise() throws { try learnerPasses("7.2") }
    func test7_2_rejectsWrongAnswers() { wrongAnswersRejected("7.2") }
    func test7_3_solution() { solutionPasses("7.3") }
    func test7_3_exercise() throws { try learnerPasses("7.3") }
    func test7_3_rejectsWrongAnswers() { wrongAnswersRejected("7.3") }
}
