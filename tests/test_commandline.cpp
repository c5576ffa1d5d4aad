#include <QtTest>

#include <climits>
#include <string>
#include <vector>

#include "core/base/CommandLine.h"
#include "core/base/Error.h"

using namespace latentlab;

// The option parser every verb uses, in process: each number a user gives is parsed whole,
// bounded, and a bad one is named with its option, its bound and the text given.
class TestCommandLine : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void wholeNumbers_data();
    void wholeNumbers();
    void numbers_data();
    void numbers();
    void lists_data();
    void lists();
    void optionsAndValues();

private:
    // A command line "prog verb --NAME VALUE", parsed.
    static CommandLine parsed(const std::string& name, const std::string& value);
};

CommandLine TestCommandLine::parsed(const std::string& name, const std::string& value)
{
    CommandLine cl("usage", {{name, "N", "", "a number"}});
    std::string program = "prog", verb = "verb", option = "--" + name, text = value;
    char* argv[] = {program.data(), verb.data(), option.data(), text.data()};
    cl.parse(4, argv, 2);
    return cl;
}

void TestCommandLine::wholeNumbers_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("min");
    QTest::addColumn<int>("max");
    QTest::addColumn<bool>("accepted");
    QTest::addColumn<int>("value");
    QTest::newRow("plain") << "42" << 1 << 100 << true << 42;
    QTest::newRow("lower bound") << "1" << 1 << 100 << true << 1;
    QTest::newRow("upper bound") << "100" << 1 << 100 << true << 100;
    QTest::newRow("negative allowed") << "-3" << -5 << 5 << true << -3;
    QTest::newRow("leading zeros") << "007" << 0 << 10 << true << 7;
    QTest::newRow("int max") << "2147483647" << INT_MIN << INT_MAX << true << INT_MAX;
    QTest::newRow("int min") << "-2147483648" << INT_MIN << INT_MAX << true << INT_MIN;
    QTest::newRow("past the bound") << "101" << 1 << 100 << false << 0;
    QTest::newRow("below the bound") << "0" << 1 << 100 << false << 0;
    QTest::newRow("negative where not") << "-1" << 0 << 100 << false << 0;
    QTest::newRow("past int") << "2147483648" << INT_MIN << INT_MAX << false << 0;
    QTest::newRow("past long long") << "99999999999999999999999" << INT_MIN << INT_MAX << false << 0;
    QTest::newRow("frames of the issue") << "2000000000" << 2 << 1000 << false << 0;
    QTest::newRow("exponent") << "1e3" << 0 << 10000 << false << 0;
    QTest::newRow("leading space") << " 5" << 0 << 10 << false << 0;
    QTest::newRow("trailing space") << "5 " << 0 << 10 << false << 0;
    QTest::newRow("suffix") << "5x" << 0 << 10 << false << 0;
    QTest::newRow("hex") << "0x10" << 0 << 100 << false << 0;
    QTest::newRow("plus sign") << "+5" << 0 << 10 << false << 0;
    QTest::newRow("decimal") << "2.5" << 0 << 10 << false << 0;
    QTest::newRow("empty") << "" << 0 << 10 << false << 0;
    QTest::newRow("minus only") << "-" << -10 << 10 << false << 0;
    QTest::newRow("minus inside") << "5-3" << -10 << 10 << false << 0;
    QTest::newRow("word") << "ten" << 0 << 10 << false << 0;
}

void TestCommandLine::wholeNumbers()
{
    QFETCH(QString, text);
    QFETCH(int, min);
    QFETCH(int, max);
    QFETCH(bool, accepted);
    QFETCH(int, value);
    const CommandLine cl = parsed("count", text.toStdString());
    try {
        const int got = cl.intValue("count", min, max);
        QVERIFY2(accepted, qPrintable("accepted as " + QString::number(got)));
        QCOMPARE(got, value);
    } catch (const Error& e) {
        QVERIFY2(!accepted, e.what());
        const std::string expected = "--count expects a whole number from " + std::to_string(min) + " to "
                                     + std::to_string(max) + ", got '" + text.toStdString() + "'";
        QCOMPARE(std::string(e.what()), expected);
    }
}

void TestCommandLine::numbers_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("bounded"); // from -10 to 10, or any finite number
    QTest::addColumn<bool>("accepted");
    QTest::addColumn<double>("value");
    QTest::newRow("plain") << "0.5" << true << true << 0.5;
    QTest::newRow("negative") << "-2" << true << true << -2.0;
    QTest::newRow("exponent") << "1e-3" << true << true << 1e-3;
    QTest::newRow("no leading digit") << ".25" << true << true << 0.25;
    QTest::newRow("large unbounded") << "1e300" << false << true << 1e300;
    QTest::newRow("past the bound") << "10.5" << true << false << 0.0;
    QTest::newRow("nan") << "nan" << false << false << 0.0;
    QTest::newRow("NAN") << "NAN" << false << false << 0.0;
    QTest::newRow("inf") << "inf" << false << false << 0.0;
    QTest::newRow("-infinity") << "-infinity" << false << false << 0.0;
    QTest::newRow("past double") << "1e400" << false << false << 0.0;
    QTest::newRow("decimal comma") << "1,5" << false << false << 0.0;
    QTest::newRow("leading space") << " 1" << false << false << 0.0;
    QTest::newRow("plus sign") << "+1" << false << false << 0.0;
    QTest::newRow("hex") << "0x10" << false << false << 0.0;
    QTest::newRow("suffix") << "3x" << false << false << 0.0;
    QTest::newRow("empty") << "" << false << false << 0.0;
}

void TestCommandLine::numbers()
{
    QFETCH(QString, text);
    QFETCH(bool, bounded);
    QFETCH(bool, accepted);
    QFETCH(double, value);
    const CommandLine cl = parsed("beta", text.toStdString());
    try {
        const double got = bounded ? cl.doubleValue("beta", -10, 10) : cl.doubleValue("beta");
        QVERIFY2(accepted, qPrintable("accepted as " + QString::number(got)));
        QCOMPARE(got, value);
    } catch (const Error& e) {
        QVERIFY2(!accepted, e.what());
        const std::string expected = std::string("--beta expects a finite number") + (bounded ? " from -10 to 10" : "")
                                     + ", got '" + text.toStdString() + "'";
        QCOMPARE(std::string(e.what()), expected);
    }
}

void TestCommandLine::lists_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("result"); // the values joined by spaces, or part of the error
    QTest::newRow("one") << "400" << "400";
    QTest::newRow("three") << "32,64,128" << "32 64 128";
    QTest::newRow("empty value") << "" << "";
    QTest::newRow("empty item") << "1,,2" << "error: --hidden expects comma-separated whole numbers, got '1,,2' (an empty item)";
    QTest::newRow("trailing comma") << "1,2," << "error: (an empty item)";
    QTest::newRow("leading comma") << ",1" << "error: (an empty item)";
    QTest::newRow("only a comma") << "," << "error: (an empty item)";
    QTest::newRow("out of range item") << "64,65537" << "error: --hidden expects a whole number from 1 to 65536, got '65537'";
    QTest::newRow("bad item") << "64,6x" << "error: got '6x'";
    QTest::newRow("space after comma") << "64, 32" << "error: got ' 32'";
}

void TestCommandLine::lists()
{
    QFETCH(QString, text);
    QFETCH(QString, result);
    const CommandLine cl = parsed("hidden", text.toStdString());
    try {
        QStringList values;
        for (int v : cl.intListValue("hidden", 1, 65536))
            values << QString::number(v);
        QCOMPARE(values.join(' '), result);
    } catch (const Error& e) {
        QVERIFY2(result.startsWith("error: ") && QString(e.what()).contains(result.mid(7)), e.what());
    }
}

void TestCommandLine::optionsAndValues()
{
    // A long bad value is quoted shortened, not in full.
    const std::string huge(100000, '9');
    try {
        parsed("count", huge).intValue("count", 0, 10);
        QFAIL("accepted");
    } catch (const Error& e) {
        QVERIFY2(std::string(e.what()).size() < 200, e.what());
        QVERIFY(std::string(e.what()).find("...'") != std::string::npos);
    }
    // The default is parsed like a given value; an inline value like a separate one.
    CommandLine cl("usage", {{"tiles", "N", "16", "tiles"}, {"gap", "PX", "1", "gap"}});
    std::string program = "prog", verb = "verb", gap = "--gap=3";
    char* argv[] = {program.data(), verb.data(), gap.data()};
    cl.parse(3, argv, 2);
    QCOMPARE(cl.intValue("tiles", 1, 64), 16);
    QCOMPARE(cl.intValue("gap", 0, 64), 3);
    // Parsers for numbers inside other values name what they parse.
    try {
        CommandLine::parseDouble("nan", -1000, 1000, "the strength of 'smile'");
        QFAIL("nan accepted");
    } catch (const Error& e) {
        QCOMPARE(std::string(e.what()), std::string("the strength of 'smile' expects a finite number from -1000 to 1000, got 'nan'"));
    }
}

QTEST_GUILESS_MAIN(TestCommandLine)
#include "test_commandline.moc"
