import CSpinWait

/// Grow-only, 64-byte aligned float memory owned by a layer (or lent by `ScratchPool`), so
/// repeated steps reuse it.
final class Scratch {
    private(set) var pointer: UnsafeMutablePointer<Float>
    private(set) var capacity: Int

    init(zeroed count: Int = 0) {
        capacity = count
        pointer = Scratch.allocate(count)
    }

    deinit { pointer.deallocate() }

    /// At least `count` floats (contents unspecified after growing).
    func reserve(_ count: Int) -> UnsafeMutablePointer<Float> {
        if count > capacity {
            pointer.deallocate()
            pointer = Scratch.allocate(count)
            capacity = count
        }
        return pointer
    }

    /// `workers` buffers of `count` floats, back to back.
    func perWorker(_ count: Int, workers: Int) -> UnsafeMutablePointer<Float> { reserve(count * workers) }

    /// `count` floats plus 16 of slack, so a vector load that starts at the last value stays in
    /// the allocation (see `GEMMSource.overreadable`).
    private static func allocate(_ count: Int) -> UnsafeMutablePointer<Float> {
        let raw = UnsafeMutableRawPointer.allocate(byteCount: (count + 16) * 4, alignment: 64)
        let p = raw.bindMemory(to: Float.self, capacity: count + 16)
        p.initialize(repeating: 0, count: count + 16)
        return p
    }
}

/// Buffers a conv call needs only while it runs (dY transposed for the weight gradient, dY padded
/// for the input gradient, col2im columns, `Winograd`'s transformed blocks), lent by one pool instead of kept by every engine. A
/// model's layers run one after another, so the pool holds a few buffers the size of the largest
/// call's, not one set per conv: 0.54 GB less for lesson 3's 16 deep-stack convs at 256 px.
/// Thread-safe; a call that lends inside a call gets another buffer.
final class ScratchPool: @unchecked Sendable {
    static let shared = ScratchPool()
    private var spare: [Scratch] = []
    private let lock = UnsafeMutablePointer<spin_counter>.allocate(capacity: 1)

    private init() { spin_store(lock, 0) }

    /// Runs `body` with a buffer of at least `count` floats (stale contents), then takes it back.
    func lend<R>(_ count: Int, _ body: (UnsafeMutablePointer<Float>) -> R) -> R {
        let scratch = take()
        defer { giveBack(scratch) }
        return body(scratch.reserve(count))
    }

    private func take() -> Scratch { locked { spare.popLast() ?? Scratch() } }

    private func giveBack(_ scratch: Scratch) { locked { spare.append(scratch) } }

    private func locked<T>(_ body: () -> T) -> T {
        while !spin_try_claim(lock) { spin_pause() }
        defer { spin_store(lock, 0) }
        return body()
    }
}
