#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <fstream>
#include <random>

#include "core/latent/AttributeMath.h"
#include "core/formats/AttributeTable.h"
#include "core/base/Error.h"

using namespace latentlab;

class TestAttributeMath : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void recoversPlantedDirection_data();
    void recoversPlantedDirection();
    void orthogonalised_data();
    void orthogonalised();
    void applyAddsScaledVectors();
    void qualityFigures();
    void groupsFromLabels();
    void nearestClassMean();
    void attributeTable();
    void rejects_data();
    void rejects();

private:
    QTemporaryDir dir_;
};

namespace {

// Codes from N(0, I) in `dim` dimensions; images with the attribute are shifted by
// `strength` along `direction`.
LatentCodes plantedCodes(const std::vector<float>& direction, double strength, int count, unsigned seed,
                         std::vector<int>* has)
{
    std::mt19937 rng(seed);
    std::normal_distribution<float> normal;
    LatentCodes codes;
    codes.dim = int(direction.size());
    for (int i = 0; i < count; ++i) {
        const bool attribute = i % 3 == 0;
        has->push_back(attribute);
        for (float d : direction)
            codes.mu.push_back(normal(rng) + (attribute ? float(strength) * d : 0.0f));
    }
    return codes;
}

double dot(const std::vector<float>& a, const std::vector<float>& b)
{
    double s = 0;
    for (std::size_t i = 0; i < a.size(); ++i)
        s += double(a[i]) * b[i];
    return s;
}

} // namespace

void TestAttributeMath::recoversPlantedDirection_data()
{
    QTest::addColumn<int>("dim");
    QTest::addColumn<double>("strength");
    QTest::addColumn<int>("count");
    QTest::newRow("20-D, strong") << 20 << 3.0 << 3000;
    QTest::newRow("20-D, weak, many images") << 20 << 1.0 << 6000;
    QTest::newRow("64-D") << 64 << 2.0 << 6000;
    QTest::newRow("2-D") << 2 << 1.0 << 1000;
}

void TestAttributeMath::recoversPlantedDirection()
{
    QFETCH(int, dim);
    QFETCH(double, strength);
    QFETCH(int, count);
    std::vector<float> direction(static_cast<std::size_t>(dim));
    for (int i = 0; i < dim; ++i)
        direction[std::size_t(i)] = float(std::sin(1.7 * i + 0.3));
    const double n = std::sqrt(dot(direction, direction));
    for (float& d : direction)
        d = float(d / n);
    std::vector<int> has;
    const LatentCodes codes = plantedCodes(direction, strength, count, 11, &has);
    AttributeGroups groups;
    for (std::size_t i = 0; i < has.size(); ++i)
        (has[i] ? groups.with : groups.without).push_back(i);
    const std::vector<float> v = AttributeMath::meanDifference(codes, groups);
    const double cosine = AttributeMath::cosine(v, direction);
    qInfo("cosine with the planted direction: %.4f", cosine);
    QVERIFY2(cosine > 0.95, qPrintable(QString::number(cosine)));
    QVERIFY(std::abs(std::sqrt(dot(v, v)) - strength) < 0.35 * strength + 0.2);
}

void TestAttributeMath::orthogonalised_data()
{
    QTest::addColumn<int>("others");
    QTest::addColumn<bool>("dependent"); // the last other is a combination of the first two
    QTest::newRow("against one") << 1 << false;
    QTest::newRow("against three") << 3 << false;
    QTest::newRow("against a dependent set") << 3 << true;
}

void TestAttributeMath::orthogonalised()
{
    QFETCH(int, others);
    QFETCH(bool, dependent);
    std::mt19937 rng(5);
    std::normal_distribution<float> normal;
    const auto random = [&] {
        std::vector<float> x(10);
        for (float& v : x)
            v = normal(rng);
        return x;
    };
    std::vector<std::vector<float>> set;
    for (int i = 0; i < others; ++i)
        set.push_back(random());
    if (dependent)
        for (std::size_t j = 0; j < 10; ++j)
            set.back()[j] = set[0][j] + 2 * set[1][j];
    const std::vector<float> v = random();
    const std::vector<float> o = AttributeMath::orthogonalised(v, set);
    for (const auto& other : set)
        QVERIFY2(std::abs(dot(o, other)) < 1e-4, qPrintable(QString::number(dot(o, other))));
    QVERIFY(dot(o, o) > 0.1); // something is left
    // Editing along o leaves every other vector's projection unchanged.
    const std::vector<float> code = random();
    const std::vector<float> edited = AttributeMath::apply(code, {o}, {2.5});
    for (const auto& other : set)
        QVERIFY(std::abs(dot(edited, other) - dot(code, other)) < 1e-3);
}

void TestAttributeMath::applyAddsScaledVectors()
{
    const std::vector<float> z = AttributeMath::apply({1, 1}, {{1, 0}, {0, 2}}, {0.5, -1});
    QCOMPARE(z, (std::vector<float>{1.5f, -1.0f}));
    QCOMPARE(AttributeMath::apply({1, 1}, {{1, 0}}, {0}), (std::vector<float>{1, 1}));
}

void TestAttributeMath::qualityFigures()
{
    LatentCodes codes;
    codes.dim = 2;
    // Projections on x: with = {2, 3, 4}, without = {-1, 0, 1, 2.5}: one overlap.
    codes.mu = {2, 0, 3, 1, 4, -1, -1, 0, 0, 5, 1, 0, 2.5f, 0};
    const AttributeGroups groups{{0, 1, 2}, {3, 4, 5, 6}};
    const std::vector<AttributeVector> others = {{"y", {0, 1}}, {"diagonal", {1, 1}}};
    const AttributeQuality q = AttributeMath::quality(codes, groups, {2, 0}, others);
    QCOMPARE(q.norm, 2.0);
    QVERIFY(std::abs(q.separationAccuracy - 6.0 / 7) < 1e-12);
    QVERIFY(q.threshold > 1 && q.threshold < 2); // the first of the two best thresholds
    // Cohen's d: means 3 and 0.625, squared deviations 2 and 6.6875, pooled over 5 degrees.
    const double pooled = std::sqrt((2.0 + 6.6875) / 5);
    QVERIFY(std::abs(q.cohensD - (3 - 0.625) / pooled) < 1e-9);
    QCOMPARE(q.cosines.size(), std::size_t(2));
    QVERIFY(std::abs(q.cosines[0].second) < 1e-12);
    QVERIFY(std::abs(q.cosines[1].second - std::sqrt(0.5)) < 1e-9);
}

void TestAttributeMath::groupsFromLabels()
{
    const std::vector<int> labels = {0, 1, 2, 1, 0, 2};
    const std::vector<std::string> names = {"Sneaker", "Ankle boot", "Bag"};
    AttributeGroups g = AttributeMath::groupsFromLabels(labels, names, "Sneaker", "Ankle boot");
    QCOMPARE(g.with, (std::vector<std::size_t>{0, 4}));
    QCOMPARE(g.without, (std::vector<std::size_t>{1, 3}));
    g = AttributeMath::groupsFromLabels(labels, names, "2", "rest");
    QCOMPARE(g.with, (std::vector<std::size_t>{2, 5}));
    QCOMPARE(g.without, (std::vector<std::size_t>{0, 1, 3, 4}));
}

void TestAttributeMath::nearestClassMean()
{
    LatentCodes codes;
    codes.dim = 1;
    codes.mu = {0, 1, 10, 11, 20};
    codes.labels = {0, 0, 1, 1, 2};
    const auto means = AttributeMath::classMeans(codes);
    QCOMPARE(means[1], std::vector<float>{10.5f});
    const float z = 14;
    QCOMPARE(AttributeMath::nearestClass(means, &z), 1);
    const float w = 16;
    QCOMPARE(AttributeMath::nearestClass(means, &w), 2);
}

void TestAttributeMath::attributeTable()
{
    const std::string path = dir_.filePath("list_attr_celeba.txt").toStdString();
    std::ofstream(path) << "3\nSmiling Eyeglasses\n000001.jpg  1 -1\n000002.jpg -1 -1\r\n000003.jpg  1  1\n";
    const AttributeTable table = AttributeTable::read(path);
    QCOMPARE(table.names(), (std::vector<std::string>{"Smiling", "Eyeglasses"}));
    QCOMPARE(table.rows(), std::size_t(3));
    const std::vector<std::string> files = {"img/000003.jpg", "img/000002.jpg", "img/999.jpg", "img/000001.jpg"};
    const AttributeGroups smiling = table.groups(files, "Smiling");
    QCOMPARE(smiling.with, (std::vector<std::size_t>{0, 3}));
    QCOMPARE(smiling.without, (std::vector<std::size_t>{1}));
    QCOMPARE(table.groups(files, "Eyeglasses").with, (std::vector<std::size_t>{0}));
}

void TestAttributeMath::rejects_data()
{
    QTest::addColumn<QString>("what");
    QTest::addColumn<QString>("expected");
    QTest::newRow("unknown label") << "label" << "unknown label 'Sandals'; known: Sneaker, Ankle boot";
    QTest::newRow("same class twice") << "twice" << "two different classes";
    QTest::newRow("empty group") << "empty" << "'without' group is empty";
    QTest::newRow("index out of range") << "index" << "out of range";
    QTest::newRow("vector of the wrong length") << "length" << "has 3 values but the latent space has 2";
    QTest::newRow("unknown vector") << "find" << "no attribute vector 'smile'; it has: glasses";
    QTest::newRow("attribute file: bad value") << "table-value" << ":3: attribute values must be 1 or -1";
    QTest::newRow("attribute file: short row") << "table-short" << ":3: expected 2 values";
    QTest::newRow("attribute file: truncated") << "table-count" << "declares 5 images but lists 1";
    QTest::newRow("attribute file: unknown column") << "table-column" << "has no attribute 'Hat'";
    // Said "truncated?" for a file that lists an image twice.
    QTest::newRow("attribute file: a row twice") << "table-twice" << ":4: x.jpg is listed twice (first on line 3)";
    QTest::newRow("attribute file: a name twice") << "table-names" << ":2: attribute 'A' is named twice";
    QTest::newRow("attribute file: a huge count") << "table-huge" << ":1: expected the number of images (0 to 10000000)";
    QTest::newRow("attribute file: 2000 columns") << "table-wide" << ":2: 2000 attribute names, at most 1000";
}

void TestAttributeMath::rejects()
{
    QFETCH(QString, what);
    QFETCH(QString, expected);
    LatentCodes codes;
    codes.dim = 2;
    codes.mu = {0, 0, 1, 1};
    const std::string table = dir_.filePath(what + ".txt").toStdString();
    if (what == "table-value")
        std::ofstream(table) << "1\nA B\nx.jpg 1 2\n";
    else if (what == "table-short")
        std::ofstream(table) << "1\nA B\nx.jpg 1\n";
    else if (what == "table-twice")
        std::ofstream(table) << "2\nA B\nx.jpg 1 -1\nx.jpg -1 1\n";
    else if (what == "table-names")
        std::ofstream(table) << "1\nA A\nx.jpg 1 -1\n";
    else if (what == "table-huge")
        std::ofstream(table) << "99999999999999999999\nA\nx.jpg 1\n";
    else if (what == "table-wide") {
        std::ofstream out(table);
        out << "1\n";
        for (int i = 0; i < 2000; ++i)
            out << "A" << i << " ";
        out << "\n";
    } else if (what == "table-count" || what == "table-column")
        std::ofstream(table) << (what == "table-count" ? "5" : "1") << "\nA B\nx.jpg 1 -1\n";
    try {
        if (what == "label")
            AttributeMath::groupsFromLabels({0, 1}, {"Sneaker", "Ankle boot"}, "Sandals", "rest");
        else if (what == "twice")
            AttributeMath::groupsFromLabels({0, 1}, {"Sneaker", "Ankle boot"}, "Sneaker", "0");
        else if (what == "empty")
            AttributeMath::meanDifference(codes, {{0, 1}, {}});
        else if (what == "index")
            AttributeMath::meanDifference(codes, {{0}, {7}});
        else if (what == "length")
            AttributeMath::apply({0, 0}, {{1, 2, 3}}, {1});
        else if (what == "find")
            AttributeMath::find({{"glasses", {1, 0}}}, "smile");
        else if (what == "table-column")
            AttributeTable::read(table).groups({"x.jpg"}, "Hat");
        else
            AttributeTable::read(table);
        QFAIL("bad input was accepted");
    } catch (const Error& e) {
        QVERIFY2(QString(e.what()).contains(expected), e.what());
    }
}

QTEST_GUILESS_MAIN(TestAttributeMath)
#include "test_attributemath.moc"
