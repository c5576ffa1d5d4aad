// AtomicFile and ModelFile::save on it: a killed save's temporary is removed by the next
// one (but not another live writer's), a link at the temporary's name is never written
// through, a save that cannot write leaves the file there unchanged and no temporary,
// and overlapping saves to one path never mix their bytes.
#include <QTemporaryDir>
#include <QtTest>

#include <atomic>
#include <csignal>
#include <limits>
#include <fstream>
#include <iterator>
#include <thread>

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/base/AtomicFile.h"
#include "core/base/Error.h"
#include "core/formats/ModelFile.h"
#include "core/model/Model.h"

using namespace latentlab;

namespace {

std::string readAll(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

void writeAll(const std::string& path, const std::string& bytes)
{
    std::ofstream(path, std::ios::binary) << bytes;
}

ModelConfig tinyConfig()
{
    ModelConfig c;
    c.height = c.width = 8;
    c.hidden = {16};
    c.latentDim = 2;
    return c;
}

// The id of a process that has ended (and been reaped).
pid_t goneProcess()
{
    const pid_t child = ::fork();
    if (child == 0)
        ::_exit(0);
    ::waitpid(child, nullptr, 0);
    return child;
}

} // namespace

class TestAtomicFile : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void staleTemporaries_data();
    void staleTemporaries();
    void neverWritesThroughALink();
    void unwritableFolder_data();
    void unwritableFolder();
    void failedWriteLeavesTheFileAlone();
    void overlappingSavesNeverMix();
    void refusesNonFiniteNumbers();

private:
    std::string file(const char* name) const { return dir_.filePath(name).toStdString(); }
    QTemporaryDir dir_;
};

void TestAtomicFile::staleTemporaries_data()
{
    QTest::addColumn<QString>("suffix");
    QTest::addColumn<bool>("removed");
    QTest::newRow("older LatentLab's PATH.tmp") << ".tmp" << true;
    QTest::newRow("a killed process's") << QString(".tmp-%1-7").arg(goneProcess()) << true;
    QTest::newRow("a running process's") << QString(".tmp-%1-7").arg(::getppid()) << false;
    QTest::newRow("this process's (another thread's)") << QString(".tmp-%1-99").arg(::getpid()) << false;
    QTest::newRow("not a temporary") << ".tmp-notes" << false;
}

void TestAtomicFile::staleTemporaries()
{
    QFETCH(QString, suffix);
    QFETCH(bool, removed);
    const std::string path = file("stale.latentlab");
    const std::string temporary = path + suffix.toStdString();
    writeAll(temporary, "junk from a save that was killed");
    const Model model(tinyConfig(), 5);
    ModelFile::save(model, path);
    QCOMPARE(QFile::exists(QString::fromStdString(temporary)), !removed);
    QCOMPARE(ModelFile::load(path)->decode({0.5f, -0.5f}), model.decode({0.5f, -0.5f}));
    QFile::remove(QString::fromStdString(temporary));
}

void TestAtomicFile::neverWritesThroughALink()
{
    // Someone with access to the folder links the fixed temporary name to another file.
    const std::string path = file("linked.latentlab"), victim = file("victim.txt");
    writeAll(victim, "precious");
    QVERIFY(::symlink(victim.c_str(), (path + ".tmp").c_str()) == 0);
    ModelFile::save(Model(tinyConfig()), path);
    QCOMPARE(readAll(victim), std::string("precious"));
    QVERIFY(!QFileInfo(QString::fromStdString(path)).isSymLink());
    QVERIFY(ModelFile::load(path) != nullptr);
}

void TestAtomicFile::unwritableFolder_data()
{
    QTest::addColumn<QString>("folder");
    QTest::addColumn<bool>("readOnly");
    QTest::newRow("missing folder") << "missing/deeper" << false;
    QTest::newRow("a file, not a folder") << "plain-file" << false;
    QTest::newRow("read-only folder") << "read-only" << true;
}

void TestAtomicFile::unwritableFolder()
{
    QFETCH(QString, folder);
    QFETCH(bool, readOnly);
    if (folder == "plain-file")
        writeAll(file("plain-file"), "x");
    const std::string path = dir_.filePath(folder + "/model.latentlab").toStdString();
    std::string before;
    if (readOnly) {
        if (::geteuid() == 0)
            QSKIP("root writes into read-only folders");
        QVERIFY(QDir(dir_.path()).mkdir(folder));
        ModelFile::save(Model(tinyConfig(), 1), path);
        before = readAll(path);
        QVERIFY(QFile::setPermissions(dir_.filePath(folder), QFileDevice::ReadOwner | QFileDevice::ExeOwner));
    }
    try {
        ModelFile::save(Model(tinyConfig(), 2), path);
        QFAIL("saved into an unwritable folder");
    } catch (const Error& e) {
        QVERIFY2(QString(e.what()).startsWith(QString::fromStdString(path) + ": cannot write the model file ("), e.what());
    }
    if (readOnly) {
        QCOMPARE(readAll(path), before);
        QVERIFY(ModelFile::load(path) != nullptr);
        QFile::setPermissions(dir_.filePath(folder), QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    }
}

void TestAtomicFile::failedWriteLeavesTheFileAlone()
{
    // A file size limit fails the write halfway, as a full disk would (for root too).
    const std::string path = file("full.latentlab");
    ModelFile::save(Model(tinyConfig(), 1), path);
    const std::string before = readAll(path);
    rlimit old{};
    QVERIFY(::getrlimit(RLIMIT_FSIZE, &old) == 0);
    const auto oldSignal = std::signal(SIGXFSZ, SIG_IGN);
    rlimit small = old;
    small.rlim_cur = before.size() / 2;
    QVERIFY(::setrlimit(RLIMIT_FSIZE, &small) == 0);
    QString message;
    try {
        ModelFile::save(Model(tinyConfig(), 2), path);
    } catch (const Error& e) {
        message = e.what();
    }
    ::setrlimit(RLIMIT_FSIZE, &old);
    std::signal(SIGXFSZ, oldSignal);
    QVERIFY2(message.startsWith(QString::fromStdString(path) + ": writing the model file failed ("), qPrintable(message));
    QCOMPARE(readAll(path), before);
    QCOMPARE(QDir(dir_.path()).entryList({"full.latentlab.tmp*"}, QDir::Files | QDir::System).size(), 0);
}

void TestAtomicFile::overlappingSavesNeverMix()
{
    // Two writers of one path (the window's save of the open model while its training
    // writes the best epoch): once they shared a temporary and could mix their bytes.
    const std::string path = file("shared.latentlab");
    const Model a(tinyConfig(), 1), b(tinyConfig(), 2);
    std::atomic<int> failures{0};
    const auto writer = [&](const Model& model) {
        for (int i = 0; i < 30; ++i) {
            try {
                ModelFile::save(model, path);
            } catch (const Error&) {
                ++failures;
            }
        }
    };
    std::thread first(writer, std::cref(a)), second(writer, std::cref(b));
    first.join();
    second.join();
    QCOMPARE(int(failures), 0);
    const std::vector<float> code{0.5f, -0.5f};
    const std::vector<float> decoded = ModelFile::load(path)->decode(code);
    QVERIFY(decoded == a.decode(code) || decoded == b.decode(code));
    QCOMPARE(QDir(dir_.path()).entryList({"shared.latentlab.tmp*"}, QDir::Files | QDir::System).size(), 0);
}

void TestAtomicFile::refusesNonFiniteNumbers()
{
    // JSON writes NaN as null: such a file would not load back, so none is written.
    const std::string path = file("nan.latentlab");
    Model model(tinyConfig());
    EpochRecord diverged;
    diverged.epoch = 1;
    diverged.testLoss = std::numeric_limits<double>::quiet_NaN();
    model.info().history.push_back(diverged);
    try {
        ModelFile::save(model, path);
        QFAIL("a model with a NaN test loss was saved");
    } catch (const Error& e) {
        QVERIFY2(QString(e.what()).contains("training.history[0].test_loss is NaN or infinite"), e.what());
    }
    QVERIFY(!QFile::exists(QString::fromStdString(path)));
}

QTEST_GUILESS_MAIN(TestAtomicFile)
#include "test_atomicfile.moc"
