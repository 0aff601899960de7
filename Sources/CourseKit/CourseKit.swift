@_exported import TensorCore
/// Lessons import only CourseKit; they write pictures with PixelIO's `Image`, grids and charts.
@_exported import PixelIO
