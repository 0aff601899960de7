/// Lesson 2's model: a plain stack of 3x3 convolutions with ReLU between them, no pooling, no skips.
///
/// Every layer keeps the full resolution, so fine detail (1-px grass blades, flowers) is never
/// thrown away. But each 3x3 conv widens what an output pixel can "see" by only 2 px: after
/// `depth` convs an output pixel depends on a `receptiveField` x `receptiveField` window of the
/// input. A color decision that needs more context than that (is this smooth gray patch sky or
/// lake?) is a guess. The course's PyTorch prototype used 7 convs of 32 channels (15x15 px).
public final class PlainStack: InputGradientOptional {
    public let name: String
    /// The convs and ReLUs in order: conv, relu, conv, relu, ..., conv (no ReLU after the last).
    public let body: Sequential
    public let depth: Int
    public let width: Int

    public init(_ name: String = "plain", inChannels: Int = 1, outChannels: Int = 3,
                width: Int = 32, depth: Int = 7, parts: Parts = .builtIn, rng: inout SeededGenerator) {
        precondition(depth >= 2, "PlainStack: depth must be at least 2, got \(depth)")
        self.name = name
        self.depth = depth
        self.width = width
        var layers: [Layer] = []
        for i in 1...depth {
            let cin = i == 1 ? inChannels : width
            let cout = i == depth ? outChannels : width
            layers.append(parts.conv("\(name).conv\(i)", cin, cout, 3, 1, &rng))
            if i < depth { layers.append(parts.relu("\(name).relu\(i)")) }
        }
        body = Sequential(name, layers)
    }

    /// False skips dL/dinput in the first conv (the input is data; see `Sequential.needsInputGradient`).
    public var needsInputGradient: Bool {
        get { body.needsInputGradient }
        set { body.needsInputGradient = newValue }
    }

    /// The side of the input window one output pixel depends on: each 3x3 conv adds 2 px.
    public var receptiveField: Int { Self.receptiveField(depth: depth) }
    /// Each 3x3 conv widens the window by one pixel on each side.
    public static func receptiveField(depth: Int) -> Int { 1 + 2 * depth }

    public func forward(_ x: Tensor) -> Tensor { body.forward(x) }
    public func backward(_ dy: Tensor) -> Tensor { body.backward(dy) }
    public var parameters: [Parameter] { body.parameters }
}
