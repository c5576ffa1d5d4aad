#include <QtTest>

#include "core/base/Error.h"
#include "core/latent/ClassSweep.h"

using namespace latentlab;

// "One style, every class": what `latentlab-cli generate --style` decodes.
class TestClassSweep : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void everyClass_data();
    void everyClass();
    void rejects_data();
    void rejects();
};

void TestClassSweep::everyClass_data()
{
    QTest::addColumn<int>("dim");
    QTest::addColumn<int>("classes");
    QTest::newRow("one dimension, two classes") << 1 << 2;
    QTest::newRow("four dimensions, ten classes") << 4 << 10;
    QTest::newRow("one class") << 3 << 1;
}

void TestClassSweep::everyClass()
{
    QFETCH(int, dim);
    QFETCH(int, classes);
    std::vector<float> code;
    for (int j = 0; j < dim; ++j)
        code.push_back(0.5f * float(j) - 1.0f);
    const ClassSweep sweep = ClassSweep::everyClass(code, classes);
    QCOMPARE(int(sweep.classes.size()), classes);
    QCOMPARE(int(sweep.codes.size()), classes * dim);
    for (int k = 0; k < classes; ++k) {
        QCOMPARE(sweep.classes[std::size_t(k)], k);
        const std::vector<float> row(sweep.codes.begin() + k * dim, sweep.codes.begin() + (k + 1) * dim);
        QVERIFY(row == code); // the same code in every class
    }
}

void TestClassSweep::rejects_data()
{
    QTest::addColumn<int>("dim");
    QTest::addColumn<int>("classes");
    QTest::addColumn<QString>("expected");
    QTest::newRow("not conditional") << 4 << 0 << "not conditional";
    QTest::newRow("negative classes") << 4 << -1 << "not conditional";
    QTest::newRow("no code") << 0 << 3 << "no code";
}

void TestClassSweep::rejects()
{
    QFETCH(int, dim);
    QFETCH(int, classes);
    QFETCH(QString, expected);
    try {
        ClassSweep::everyClass(std::vector<float>(std::size_t(dim), 1.0f), classes);
        QFAIL("no error");
    } catch (const Error& e) {
        QVERIFY2(QString(e.what()).contains(expected), e.what());
    }
}

QTEST_APPLESS_MAIN(TestClassSweep)
#include "test_classsweep.moc"
