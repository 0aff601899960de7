@_exported import TensorCore
/// CourseKit re-exports TensorCore, PixelIO and Scoring, so one import gives a lesson tensors,
/// models, pictures (PixelIO's `Image`, grids and charts) and scores; lessons import the
/// exercise modules besides, for `--use-exercises`.
@_exported import PixelIO
@_exported import Scoring
