#include "core/data/CardsGenerator.h"

#include <algorithm>
#include <cmath>
#include <exception>
#include <thread>

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include "core/base/Error.h"

namespace latentlab {

namespace {

constexpr double kPi = 3.14159265358979323846;
constexpr int kSupersample = 4;
constexpr int kCanvas = CardsGenerator::kSize * kSupersample;
// Shapes are drawn in unit coordinates, y down, spanning y in [-1, 1]; this many
// pixels per unit makes them 60% of the frame high.
constexpr double kScale = 0.3 * CardsGenerator::kSize;
constexpr int kCircleVertices = 96;
constexpr int kShiftBits = 8; // sub-pixel precision of cv::fillPoly

enum Suit { Diamond = 0, Club = 1, Spade = 2, Heart = 3 };

struct Point {
    double x, y;
};
using Polygon = std::vector<Point>;

Polygon circle(Point centre, double radius)
{
    Polygon points;
    for (int k = 0; k < kCircleVertices; ++k) {
        const double t = 2 * kPi * k / kCircleVertices;
        points.push_back({centre.x + radius * std::cos(t), centre.y + radius * std::sin(t)});
    }
    return points;
}

// Where the tangent from `from` touches the circle, on the side given by `side` (+1 or -1).
Point tangentPoint(Point from, Point centre, double radius, int side)
{
    const double dx = centre.x - from.x, dy = centre.y - from.y;
    const double distance = std::hypot(dx, dy);
    const double toCentre = std::atan2(dy, dx);
    const double length = std::sqrt(distance * distance - radius * radius);
    const double direction = toCentre + side * std::asin(radius / distance);
    return {from.x + length * std::cos(direction), from.y + length * std::sin(direction)};
}

// Two round lobes and a point: a heart when the point is below, a spade's blade when above.
std::vector<Polygon> lobesAndPoint(Point tip, double lobeY, double lobeX, double radius)
{
    const Point left{-lobeX, lobeY}, right{lobeX, lobeY};
    const int side = tip.y > lobeY ? 1 : -1;
    return {circle(left, radius), circle(right, radius),
            {tip, tangentPoint(tip, left, radius, -side), left, right, tangentPoint(tip, right, radius, side)}};
}

// A thin stem that flares into a foot on the bottom edge (y = 1).
Polygon stem(double top)
{
    return {{-0.06, top}, {0.06, top}, {0.1, 0.72}, {0.3, 1.0}, {-0.3, 1.0}, {-0.1, 0.72}};
}

// The outline of each suit as overlapping polygons (filled one by one, so overlaps stay solid).
std::vector<std::vector<Polygon>> makeSuits()
{
    std::vector<std::vector<Polygon>> suits(4);
    suits[Diamond] = {{{0, -1}, {0.72, 0}, {0, 1}, {-0.72, 0}}};
    const Point top{0, -0.55}, left{-0.5, 0.12}, right{0.5, 0.12};
    suits[Club] = {circle(top, 0.45), circle(left, 0.42), circle(right, 0.42), {top, right, left}, stem(0.0)};
    suits[Spade] = lobesAndPoint({0, -1}, 0.22, 0.42, 0.42);
    suits[Spade].push_back(stem(0.15));
    suits[Heart] = lobesAndPoint({0, 1}, -0.5, 0.45, 0.5);
    return suits;
}

const std::vector<std::vector<Polygon>>& suitShapes()
{
    static const std::vector<std::vector<Polygon>> suits = makeSuits();
    return suits;
}

// SplitMix64: small, fast and the same on every platform (unlike std:: distributions).
std::uint64_t splitMix(std::uint64_t& state)
{
    std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

// Uniform in [-limit, limit].
double symmetric(std::uint64_t& state, double limit)
{
    const double unit = double(splitMix(state) >> 11) * 0x1.0p-53;
    return (2 * unit - 1) * limit;
}

// Draws one suit, rotated and sheared, into `out` (kSize x kSize bytes).
void drawCard(int suit, double angleDegrees, double shearDegrees, cv::Mat& canvas, std::uint8_t* out)
{
    const double a = angleDegrees * kPi / 180, t = std::tan(shearDegrees * kPi / 180);
    const double c = std::cos(a), s = std::sin(a);
    // R * [[1, t], [0, 1]] in canvas pixels per shape unit, R as cv::getRotationMatrix2D.
    const double m00 = c, m01 = c * t + s, m10 = -s, m11 = -s * t + c;
    const double unit = kScale * kSupersample;
    // Output pixel centre x lies at canvas x = kSupersample * x + (kSupersample - 1) / 2.
    const double centre = kSupersample * (CardsGenerator::kSize - 1) / 2.0 + (kSupersample - 1) / 2.0;
    const double fixed = double(1 << kShiftBits);

    canvas.setTo(cv::Scalar(0));
    for (const Polygon& polygon : suitShapes()[std::size_t(suit)]) {
        std::vector<cv::Point> points;
        points.reserve(polygon.size());
        for (const Point& p : polygon) {
            const double x = centre + unit * (m00 * p.x + m01 * p.y);
            const double y = centre + unit * (m10 * p.x + m11 * p.y);
            points.emplace_back(int(std::lround(x * fixed)), int(std::lround(y * fixed)));
        }
        const cv::Point* data = points.data();
        const int n = int(points.size());
        cv::fillPoly(canvas, &data, &n, 1, cv::Scalar(255), cv::LINE_AA, kShiftBits);
    }
    cv::Mat small(CardsGenerator::kSize, CardsGenerator::kSize, CV_8UC1, out);
    cv::resize(canvas, small, small.size(), 0, 0, cv::INTER_AREA);
}

} // namespace

const std::vector<CardsPreset>& CardsGenerator::presets()
{
    static const std::vector<CardsPreset> table = {
        {"cards1", 12, 1},
        {"cards2", 12, 20},
        {"cards3", 120, 1},
        {"cards4", 120, 20},
    };
    return table;
}

CardsPreset CardsGenerator::preset(const std::string& name)
{
    std::string known;
    for (const CardsPreset& p : presets()) {
        if (p.name == name)
            return p;
        known += (known.empty() ? "" : ", ") + p.name;
    }
    throw Error("unknown cards preset '" + name + "' (known: " + known + ")");
}

Dataset CardsGenerator::generate(const CardsPreset& preset, std::size_t count, std::uint64_t seed,
                                 const std::string& name)
{
    // Written as negations so that NaN limits are refused too.
    if (!(preset.maxRotationDegrees >= 0 && preset.maxRotationDegrees <= 180))
        throw Error("cards preset '" + preset.name + "': the rotation limit must lie in [0, 180] degrees, is "
                    + std::to_string(preset.maxRotationDegrees));
    if (!(preset.maxShearDegrees >= 0 && preset.maxShearDegrees <= 60))
        throw Error("cards preset '" + preset.name + "': the shear limit must lie in [0, 60] degrees, is "
                    + std::to_string(preset.maxShearDegrees));

    const std::size_t perImage = std::size_t(kSize) * kSize;
    std::vector<std::uint8_t> pixels(count * perImage);
    std::vector<int> labels(count);
    std::vector<float> factors(count * 2);
    suitShapes(); // built once here rather than raced for by the workers

    std::uint64_t seedState = seed;
    const std::uint64_t base = splitMix(seedState);
    const auto work = [&](std::size_t begin, std::size_t end) {
        cv::Mat canvas(kCanvas, kCanvas, CV_8UC1);
        for (std::size_t i = begin; i < end; ++i) {
            // Each image draws from its own stream, so it depends on (seed, i) only.
            std::uint64_t state = base ^ (std::uint64_t(i) * 0xD1B54A32D192ED03ULL);
            // Rounded to float first: the image is drawn with the factors as stored.
            const float angle = float(symmetric(state, preset.maxRotationDegrees));
            const float shear = float(symmetric(state, preset.maxShearDegrees));
            const int suit = int(i % 4);
            drawCard(suit, angle, shear, canvas, pixels.data() + i * perImage);
            labels[i] = suit;
            factors[2 * i] = angle;
            factors[2 * i + 1] = shear;
        }
    };

    const std::size_t threads = std::min<std::size_t>(std::max(1u, std::thread::hardware_concurrency()),
                                                      std::max<std::size_t>(1, count / 64));
    std::vector<std::thread> workers;
    std::vector<std::exception_ptr> failures(threads);
    for (std::size_t k = 0; k < threads; ++k) {
        const std::size_t begin = count * k / threads, end = count * (k + 1) / threads;
        workers.emplace_back([&, k, begin, end] {
            try {
                work(begin, end);
            } catch (...) {
                failures[k] = std::current_exception();
            }
        });
    }
    for (std::thread& worker : workers)
        worker.join();
    for (const std::exception_ptr& failure : failures)
        if (failure)
            std::rethrow_exception(failure);

    Dataset dataset(name, ImageShape{1, kSize, kSize}, std::move(pixels), std::move(labels),
                    {"diamonds", "clubs", "spades", "hearts"});
    dataset.setFactors({"angle", "shear"}, std::move(factors));
    return dataset;
}

int CardsGenerator::rotationalSymmetry(const std::string& className)
{
    return className == "diamonds" ? 2 : 1; // the rhombus is the same after half a turn
}

} // namespace latentlab
