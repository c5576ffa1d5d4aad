#include "core/data/SyntheticFaces.h"

#include <algorithm>
#include <cmath>
#include <exception>
#include <random>
#include <thread>

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include "core/base/Error.h"

namespace latentlab {

namespace {

// Faces are drawn at twice the size and box-filtered down: anti-aliased edges
// at sub-pixel positions, so that small factor changes move pixels smoothly.
constexpr int kScale = 2;
constexpr int kCanvas = SyntheticFaces::kSize * kScale;
constexpr int kShift = 4; // fixed-point bits of OpenCV's drawing coordinates
constexpr double kFixed = kScale * (1 << kShift);
constexpr double kMaxTiltDegrees = 15.0;
constexpr double kAttributeProbability = SyntheticFaces::kAttributeProbability;

enum Attribute { Smiling, Eyeglasses, WearingHat, Beard, MouthOpen, AttributeCount };
enum Factor { SkinTone, HairColour, FaceWidth, EyeSize, HeadTilt, Background, FactorCount };

struct Rgb {
    double r, g, b;
};

Rgb mix(Rgb a, Rgb b, double t)
{
    return {a.r + (b.r - a.r) * t, a.g + (b.g - a.g) * t, a.b + (b.b - a.b) * t};
}

Rgb scaled(Rgb c, double f) { return {c.r * f, c.g * f, c.b * f}; }

// Piecewise linear through equally spaced stops, t in [0, 1].
template <std::size_t N>
Rgb ramp(const Rgb (&stops)[N], double t)
{
    const double x = std::clamp(t, 0.0, 1.0) * double(N - 1);
    const std::size_t i = std::min(std::size_t(x), N - 2);
    return mix(stops[i], stops[i + 1], x - double(i));
}

// Light to dark skin, and black through brown and auburn to blond hair.
const Rgb kSkin[] = {{255, 228, 204}, {238, 198, 160}, {212, 158, 114}, {160, 106, 70}, {98, 64, 44}};
const Rgb kHair[] = {{28, 22, 20}, {82, 52, 34}, {146, 78, 40}, {200, 156, 88}, {238, 218, 158}};
// Backgrounds stay nearly grey (dark slate to cream) so that the hat's blue stands out.
const Rgb kBackgroundDark = {46, 54, 70};
const Rgb kBackgroundLight = {236, 232, 220};
const Rgb kShirt = {72, 84, 112};
const Rgb kLips = {186, 34, 50};
const Rgb kMouthInside = {58, 12, 20};
const Rgb kEyeWhite = {250, 250, 250};
const Rgb kIris = {70, 50, 36};
const Rgb kPupil = {20, 16, 16};
const Rgb kGlasses = {18, 18, 24};
const Rgb kHat = {38, 74, 182};
const Rgb kHatBand = {24, 38, 104};

// Draws on the 2x canvas in the 64 x 64 frame's coordinates, rotated about a
// centre (the head tilts as a whole, in sub-pixel steps).
class Painter {
public:
    explicit Painter(cv::Mat& canvas) : canvas_(canvas) {}

    void setRotation(cv::Point2d centre, double degrees)
    {
        centre_ = centre;
        degrees_ = degrees;
        cos_ = std::cos(degrees * CV_PI / 180.0);
        sin_ = std::sin(degrees * CV_PI / 180.0);
    }

    // thickness < 0 fills; angles in degrees as cv::ellipse takes them.
    void ellipse(cv::Point2d centre, cv::Size2d axes, double start, double end, Rgb colour, double thickness = -1)
    {
        const cv::Size fixedAxes(int(std::lround(axes.width * kFixed)), int(std::lround(axes.height * kFixed)));
        cv::ellipse(canvas_, fix(centre), fixedAxes, degrees_, start, end, scalar(colour), pixels(thickness),
                    cv::LINE_AA, kShift);
    }
    void ellipse(cv::Point2d centre, cv::Size2d axes, Rgb colour, double thickness = -1)
    {
        ellipse(centre, axes, 0, 360, colour, thickness);
    }
    void polyline(std::initializer_list<cv::Point2d> points, Rgb colour, double thickness)
    {
        std::vector<cv::Point> fixed;
        for (const cv::Point2d& p : points)
            fixed.push_back(fix(p));
        cv::polylines(canvas_, fixed, false, scalar(colour), pixels(thickness), cv::LINE_AA, kShift);
    }
    void polygon(std::initializer_list<cv::Point2d> points, Rgb colour)
    {
        std::vector<cv::Point> fixed;
        for (const cv::Point2d& p : points)
            fixed.push_back(fix(p));
        cv::fillPoly(canvas_, std::vector<std::vector<cv::Point>>{fixed}, scalar(colour), cv::LINE_AA, kShift);
    }

private:
    // The 64-frame point p lands at canvas 2p + 0.5: a 2x2 block averages back to pixel p.
    cv::Point fix(cv::Point2d p) const
    {
        const double dx = p.x - centre_.x, dy = p.y - centre_.y;
        const double x = centre_.x + dx * cos_ - dy * sin_, y = centre_.y + dx * sin_ + dy * cos_;
        const double half = 0.5 / kScale;
        return {int(std::lround((x + half) * kFixed)), int(std::lround((y + half) * kFixed))};
    }
    static int pixels(double thickness)
    {
        return thickness < 0 ? cv::FILLED : std::max(1, int(std::lround(thickness * kScale)));
    }
    static cv::Scalar scalar(Rgb c) { return cv::Scalar(c.r, c.g, c.b); } // the canvas is RGB

    cv::Mat& canvas_;
    cv::Point2d centre_{0, 0};
    double degrees_ = 0, cos_ = 1, sin_ = 0;
};

struct Face {
    float factors[FactorCount];
    bool attributes[AttributeCount];
};

// Image `index` depends on seed and index alone.
Face drawFace(std::uint64_t seed, std::size_t index, double hatShare)
{
    std::mt19937_64 rng(seed * 0x9E3779B97F4A7C15ull + index);
    // Own conversion to [0, 1): the standard distributions differ between libraries.
    const auto uniform = [&rng] { return double(rng() >> 11) * 0x1.0p-53; };
    Face face{};
    for (float& f : face.factors)
        f = float(uniform());
    for (int a = 0; a < AttributeCount; ++a)
        face.attributes[a] = uniform() < (a == WearingHat ? hatShare : kAttributeProbability);
    return face;
}

void paint(const Face& face, cv::Mat& canvas)
{
    const auto factor = [&face](Factor f) { return double(face.factors[f]); };
    const auto has = [&face](Attribute a) { return face.attributes[a]; };

    const Rgb skin = ramp(kSkin, factor(SkinTone));
    const Rgb hair = ramp(kHair, factor(HairColour));
    const Rgb background = mix(kBackgroundDark, kBackgroundLight, factor(Background));
    // Darker than both skin and hair, so a beard shows on every face.
    const Rgb beard = {0.5 * std::min(hair.r, skin.r), 0.5 * std::min(hair.g, skin.g), 0.5 * std::min(hair.b, skin.b)};

    const double cx = 32, cy = 33;                   // head centre, also the centre of the tilt
    const double w = 16 + 5 * factor(FaceWidth);     // half width of the head
    const double rx = 2.3 + 2 * factor(EyeSize);     // half width of an eye
    const double eyeX = 0.44 * w, eyeY = cy - 2;

    canvas.setTo(cv::Scalar(background.r, background.g, background.b));
    Painter p(canvas);

    // Neck and shoulders stay upright.
    p.polygon({{cx - 6, cy + 12}, {cx - 6, 62}, {cx + 6, 62}, {cx + 6, cy + 12}}, scaled(skin, 0.86));
    p.ellipse({cx, 71}, {27, 13}, kShirt);

    p.setRotation({cx, cy}, (2 * factor(HeadTilt) - 1) * kMaxTiltDegrees);
    p.ellipse({cx, cy - 3}, {w + 2.5, 22.5}, hair); // hair behind the head, showing at the sides
    p.ellipse({cx, cy}, {w, 23}, skin);
    if (has(Beard))
        p.ellipse({cx, cy + 7}, {w - 0.3, 16.5}, 0, 180, beard); // jaw and chin, below the nose
    p.ellipse({cx, cy - 9}, {w + 0.5, 15}, 180, 360, hair); // fringe

    for (const double side : {-1.0, 1.0}) {
        const double ex = cx + side * eyeX;
        p.polyline({{ex - rx, eyeY - 0.7 * rx - 1.8}, {ex + rx, eyeY - 0.7 * rx - 1.8}}, scaled(hair, 0.6), 1.2);
        p.ellipse({ex, eyeY}, {rx, 0.7 * rx}, kEyeWhite);
        p.ellipse({ex, eyeY}, {0.42 * rx, 0.42 * rx}, kIris);
        p.ellipse({ex, eyeY}, {0.2 * rx, 0.2 * rx}, kPupil);
        p.ellipse({ex, eyeY}, {rx, 0.7 * rx}, scaled(skin, 0.45), 0.5);
    }
    p.polyline({{cx + 0.5, cy + 0.5}, {cx - 1.8, cy + 6}, {cx + 1.2, cy + 6.5}}, scaled(skin, 0.72), 1.1); // nose

    // The mouth in two parts that never overlap, so that the two attributes change
    // different pixels and stay apart in a VAE's latent space: the middle says open
    // (a dark oval) or closed (a red bar), the corners say smiling (thick arms curving
    // up) or not (flat). A grin drawn only for smiling open mouths made "add a smile"
    // open mouths too, and a thin arc was blurred away by a VAE at 64 px.
    for (const double s : {-1.0, 1.0}) {
        if (has(Smiling))
            p.polyline({{cx + s * 4.2, cy + 13}, {cx + s * 7, cy + 12.4}, {cx + s * 9.4, cy + 10.4}, {cx + s * 11, cy + 7}},
                       kLips, 3.0);
        else
            p.polyline({{cx + s * 4.2, cy + 13}, {cx + s * 8.5, cy + 13.4}}, kLips, 2.2);
    }
    if (has(MouthOpen)) {
        p.ellipse({cx, cy + 12.6}, {4.2, 3.3}, kMouthInside);
        p.ellipse({cx, cy + 12.6}, {4.2, 3.3}, kLips, 1.2);
    } else {
        p.polyline({{cx - 4.6, cy + 13}, {cx + 4.6, cy + 13}}, kLips, 2.4);
    }

    if (has(Eyeglasses)) {
        const double r = rx + 2; // lenses wider than tall, clear of the cheeks
        for (const double side : {-1.0, 1.0}) {
            p.ellipse({cx + side * eyeX, eyeY}, {r, 0.78 * r}, kGlasses, 1.3);
            p.polyline({{cx + side * (eyeX + r), eyeY - 0.5}, {cx + side * 0.98 * w, eyeY - 1.5}}, kGlasses, 1.0);
        }
        p.polyline({{cx - eyeX + r, eyeY - 0.5}, {cx + eyeX - r, eyeY - 0.5}}, kGlasses, 1.3); // bridge
    }

    if (has(WearingHat)) { // crown with a band, and a brim over the fringe
        p.polygon({{cx - w + 1.5, cy - 13}, {cx - w + 3, cy - 25}, {cx + w - 3, cy - 25}, {cx + w - 1.5, cy - 13}}, kHat);
        p.ellipse({cx, cy - 25}, {w - 3, 4.5}, kHat);
        p.polyline({{cx - w + 1.8, cy - 15.5}, {cx + w - 1.8, cy - 15.5}}, kHatBand, 2.5);
        p.ellipse({cx, cy - 13}, {w + 6, 3.2}, kHat);
    }
}

// 2x2 box filter of the RGB canvas into three planes of 64 x 64.
void downsampleToPlanes(const cv::Mat& canvas, std::uint8_t* chw)
{
    constexpr int n = SyntheticFaces::kSize;
    constexpr std::size_t plane = std::size_t(n) * n;
    for (int y = 0; y < n; ++y) {
        const std::uint8_t* top = canvas.ptr<std::uint8_t>(2 * y);
        const std::uint8_t* bottom = canvas.ptr<std::uint8_t>(2 * y + 1);
        for (int x = 0; x < n; ++x)
            for (int c = 0; c < 3; ++c) {
                const int sum = top[6 * x + c] + top[6 * x + 3 + c] + bottom[6 * x + c] + bottom[6 * x + 3 + c];
                chw[std::size_t(c) * plane + std::size_t(y) * n + std::size_t(x)] = std::uint8_t((sum + 2) / 4);
            }
    }
}

} // namespace

const std::vector<std::string>& SyntheticFaces::attributeNames()
{
    static const std::vector<std::string> names{"Smiling", "Eyeglasses", "Wearing_Hat", "Beard", "Mouth_Open"};
    return names;
}

const std::vector<std::string>& SyntheticFaces::factorNames()
{
    static const std::vector<std::string> names{"skin_tone", "hair_colour", "face_width",
                                                "eye_size",  "head_tilt",   "background"};
    return names;
}

Dataset SyntheticFaces::generate(std::size_t count, std::uint64_t seed, const std::string& name, double hatShare)
{
    const ImageShape shape{3, kSize, kSize};
    const std::size_t perImage = std::size_t(shape.pixelCount());
    std::vector<std::uint8_t> pixels(count * perImage);
    std::vector<signed char> attributes(count * AttributeCount);
    std::vector<float> factors(count * FactorCount);

    // Each thread fills its own slice; every image depends on (seed, index) only,
    // so the result is the same for any number of threads.
    const auto work = [&](std::size_t begin, std::size_t end) {
        cv::Mat canvas(kCanvas, kCanvas, CV_8UC3);
        for (std::size_t i = begin; i < end; ++i) {
            const Face face = drawFace(seed, i, hatShare);
            paint(face, canvas);
            downsampleToPlanes(canvas, pixels.data() + i * perImage);
            for (int a = 0; a < AttributeCount; ++a)
                attributes[i * AttributeCount + std::size_t(a)] = face.attributes[a] ? 1 : -1;
            std::copy(std::begin(face.factors), std::end(face.factors), factors.begin() + std::ptrdiff_t(i * FactorCount));
        }
    };
    const std::size_t threads = std::clamp<std::size_t>(std::thread::hardware_concurrency(), 1, std::max<std::size_t>(1, count / 64));
    std::vector<std::exception_ptr> errors(threads);
    std::vector<std::thread> pool;
    for (std::size_t t = 1; t < threads; ++t)
        pool.emplace_back([&, t] {
            try {
                work(count * t / threads, count * (t + 1) / threads);
            } catch (...) {
                errors[t] = std::current_exception();
            }
        });
    try {
        work(0, count / threads);
    } catch (...) {
        errors[0] = std::current_exception();
    }
    for (std::thread& thread : pool)
        thread.join();
    for (const std::exception_ptr& error : errors)
        if (error) {
            try {
                std::rethrow_exception(error);
            } catch (const cv::Exception& e) {
                throw Error(name + ": drawing a synthetic face failed (" + e.msg + ")");
            }
        }

    Dataset dataset(name, shape, std::move(pixels));
    dataset.setAttributes(attributeNames(), std::move(attributes));
    dataset.setFactors(factorNames(), std::move(factors));
    return dataset;
}

} // namespace latentlab
