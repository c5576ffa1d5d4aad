#include <QtTest>

#include <string>

#include "core/base/ErrorText.h"

using namespace latentlab;

// What latentlab-cli prints for an exception: LibTorch's backtrace is cut, LatentLab's own
// messages of several lines stay whole.
class TestErrorText : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void withoutBacktrace_data();
    void withoutBacktrace();
    void lastLine_data();
    void lastLine();
};

void TestErrorText::withoutBacktrace_data()
{
    QTest::addColumn<QString>("what");
    QTest::addColumn<QString>("shown");
    // As LibTorch 1.13's allocator failure reads (train --hidden 65536,65536 under ulimit -v).
    QTest::newRow("torch allocation") << "[enforce fail at alloc_cpu.cpp:75] err == 0. DefaultCPUAllocator: can't "
                                         "allocate memory: you tried to allocate 17179869184 bytes. Error code 12 "
                                         "(Cannot allocate memory)\nframe #0: <unknown function> + 0x4c062 (0x7f in "
                                         "/lib/libc10.so)\nframe #1: c10::ThrowEnforceNotMet(char const*) + 0x58\n"
                                      << "[enforce fail at alloc_cpu.cpp:75] err == 0. DefaultCPUAllocator: can't "
                                         "allocate memory: you tried to allocate 17179869184 bytes. Error code 12 "
                                         "(Cannot allocate memory)";
    QTest::newRow("torch check") << "shape '[2, 3]' is invalid for input of size 5\nException raised from "
                                    "infer_size_impl at ../aten/src/ATen/InferSize.h:71 (most recent call first):\n"
                                    "frame #0: c10::Error::Error(...)"
                                 << "shape '[2, 3]' is invalid for input of size 5";
    QTest::newRow("own message of several lines") << "unknown data set 'x'; expected one of:\n  fashion-mnist\n  digits\n"
                                                  << "unknown data set 'x'; expected one of:\n  fashion-mnist\n  digits";
    QTest::newRow("one line") << "stoul" << "stoul";
    QTest::newRow("backtrace only") << "frame #0: foo\nframe #1: bar" << "frame #0: foo";
    QTest::newRow("empty") << "" << "";
}

void TestErrorText::withoutBacktrace()
{
    QFETCH(QString, what);
    QFETCH(QString, shown);
    QCOMPARE(QString::fromStdString(ErrorText::withoutBacktrace(what.toStdString())), shown);
    QCOMPARE(QString::fromStdString(ErrorText::firstLine(what.toStdString())), shown.section('\n', 0, 0));
}

void TestErrorText::lastLine_data()
{
    QTest::addColumn<QString>("what");
    QTest::addColumn<QString>("last");
    QTest::newRow("TorchScript interpreter") << "The following operation failed in the TorchScript interpreter.\n"
                                                "Traceback of TorchScript (most recent call last):\n  File \"<string>\"\n"
                                                "RuntimeError: setStorage: sizes [1, 2] are out of bounds\n\n"
                                             << "RuntimeError: setStorage: sizes [1, 2] are out of bounds";
    QTest::newRow("one line") << "stoul" << "stoul";
    QTest::newRow("blank") << " \n\n" << "";
}

void TestErrorText::lastLine()
{
    QFETCH(QString, what);
    QFETCH(QString, last);
    QCOMPARE(QString::fromStdString(ErrorText::lastLine(what.toStdString())), last);
}

QTEST_GUILESS_MAIN(TestErrorText)
#include "test_errortext.moc"
