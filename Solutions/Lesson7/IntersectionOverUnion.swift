import TensorCore

/// Exercise 7.2 — solution. TP / (TP + FP + FN) per class, nil for a class that never appears.
public func intersectionOverUnion(_ confusion: [[Int]]) throws -> [Double?] {
    let c = confusion.count
    guard confusion.allSatisfy({ $0.count == c }) else { throw CourseError("intersectionOverUnion: the confusion matrix must be square") }
    return (0..<c).map { k in
        let row = confusion[k].reduce(0, +), column = confusion.reduce(0) { $0 + $1[k] }
        let union = row + column - confusion[k][k]
        return union == 0 ? nil : Double(confusion[k][k]) / Double(union)
    }
}
