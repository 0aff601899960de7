@_exported import TensorCore
/// CourseKit re-exports TensorCore and PixelIO, so one import gives a lesson tensors, models and
/// pictures (PixelIO's `Image`, grids and charts); lessons import the exercise modules besides,
/// for `--use-exercises`.
@_exported import PixelIO
