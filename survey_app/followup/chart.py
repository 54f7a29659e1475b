"""The geometry of a trend chart: one point per wave with its interval, and the target.

Plain numbers only; the template draws them as inline SVG (no script, so the strict CSP
holds). A council member should read it in five seconds: waves left to right, the value as
a dot, the 95% interval as a bar, the target as a dashed line.
"""

from dataclasses import dataclass

from .estimates import IndicatorFigures

WIDTH, HEIGHT = 480, 220
LEFT, RIGHT, TOP, BOTTOM = 44, 16, 16, 36  # margins for the axis labels


@dataclass(frozen=True)
class ChartPoint:
    x: float
    y: float
    low: float  # y of the interval's lower end
    high: float
    label: str  # the wave's title
    value: float


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    left: int
    right: float  # x of the plot's right edge
    top: int
    bottom: float  # y of the plot's bottom edge
    points: tuple[ChartPoint, ...]
    wave_labels: tuple[tuple[float, str], ...]  # (x, title) of every wave, with or without a figure
    ticks: tuple[tuple[float, str], ...]  # (y, label)
    target: float | None  # y of the target line


def _format(value: float) -> str:
    return f"{value:g}"


def trend_chart(figures: IndicatorFigures) -> Chart:
    """Return the chart of an indicator's weighted value per wave."""
    indicator = figures.indicator
    low_end, high_end = indicator.scale
    plot_bottom, plot_right = HEIGHT - BOTTOM, WIDTH - RIGHT

    def y_of(value: float) -> float:
        share = (value - low_end) / (high_end - low_end)
        return round(plot_bottom - share * (plot_bottom - TOP), 1)

    count = len(figures.waves)
    step = (plot_right - LEFT) / max(count, 1)
    xs = [round(LEFT + step * (i + 0.5), 1) for i in range(count)]
    points = tuple(
        ChartPoint(x, y_of(f.weighted.value), y_of(f.weighted.low), y_of(f.weighted.high), f.wave.title, f.weighted.value)
        for x, f in zip(xs, figures.waves)
        if f.weighted is not None
    )
    ticks = tuple((y_of(low_end + (high_end - low_end) * i / 4), _format(low_end + (high_end - low_end) * i / 4)) for i in range(5))
    target = y_of(indicator.target) if indicator.target is not None else None
    return Chart(
        WIDTH, HEIGHT, LEFT, plot_right, TOP, plot_bottom, points, tuple((x, f.wave.title) for x, f in zip(xs, figures.waves)), ticks, target
    )
