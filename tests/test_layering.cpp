// The layers the build enforces (docs/architecture.md): reads every source file's
// #include lines and fails naming the file and the rule it breaks. The planted rows
// prove that each rule catches what it is meant to.
#include <QDirIterator>
#include <QFile>
#include <QHash>
#include <QRegularExpression>
#include <QSet>
#include <QTemporaryDir>
#include <QtTest>

namespace {

struct Include {
    QString target; // as written, without quotes or brackets
    bool system = false;
};

bool isTorch(const QString& t)
{
    return t.startsWith("torch/") || t.startsWith("ATen/") || t.startsWith("c10/");
}
bool isQt(const QString& t)
{
    return t.startsWith('Q') || t.startsWith("qt");
}
bool isOpenCv(const QString& t)
{
    return t.startsWith("opencv2/");
}

class SourceTree {
public:
    explicit SourceTree(const QString& root) : root_(root)
    {
        static const QRegularExpression includeLine("^\\s*#\\s*include\\s*([<\"])([^>\"]+)[>\"]");
        for (const QString& top : {"core", "models", "ui", "app", "tests", "bench"}) {
            QDirIterator it(root + '/' + top, {"*.h", "*.cpp"}, QDir::Files, QDirIterator::Subdirectories);
            while (it.hasNext()) {
                const QString path = it.next();
                QFile file(path);
                if (!file.open(QIODevice::ReadOnly | QIODevice::Text))
                    continue;
                QList<Include>& includes = files_[path.mid(root.size() + 1)];
                while (!file.atEnd()) {
                    const QRegularExpressionMatch m = includeLine.match(QString::fromUtf8(file.readLine()));
                    if (m.hasMatch())
                        includes.append({m.captured(2), m.captured(1) == "<"});
                }
            }
        }
    }

    QStringList violations() const
    {
        QStringList found;
        for (auto it = files_.cbegin(); it != files_.cend(); ++it) {
            const QString& file = it.key();
            const QString layer = file.section('/', 0, 0);
            const bool header = file.endsWith(".h");
            for (const Include& inc : it.value()) {
                const QString& t = inc.target;
                const auto fail = [&](const QString& rule) { found << file + ": includes " + t + ": " + rule; };
                if (inc.system) {
                    if ((layer == "core" || layer == "models") && isQt(t))
                        fail("core/ and models/ have no Qt");
                    if (layer == "ui" && (isTorch(t) || isOpenCv(t)))
                        fail("ui/ has no torch, ATen, c10 or OpenCV headers");
                    if (file.startsWith("core/base/") && (isTorch(t) || isOpenCv(t) || isQt(t)))
                        fail("core/base/ is torch-, OpenCV- and Qt-free");
                    if (header && layer == "core" && !file.startsWith("core/detail/") && isTorch(t))
                        fail("core's public headers are torch-free (torch-only headers go in core/detail/)");
                    continue;
                }
                // Tests may run the CLI's command line in-process (test_cli's error rows).
                if (t.startsWith("app/") && layer != "app" && !(layer == "tests" && t == "app/CliMain.h"))
                    fail("nothing includes app/ but app/ (tests: only app/CliMain.h)");
                if (layer == "models" && t.startsWith("core/") && !t.startsWith("core/base/"))
                    fail("models/ use nothing of core but core/base/");
                if (file.startsWith("core/base/") && (t.startsWith("models/") || (t.startsWith("core/") && !t.startsWith("core/base/"))))
                    fail("core/base/ includes only core/base/");
                if (t.contains("/detail/") && header && !file.contains("/detail/"))
                    fail("detail/ headers are private: only sources and other detail/ headers include them");
                if (layer == "ui" && pullsTorch(t))
                    fail("ui/ has no torch headers, not even through another header");
            }
        }
        found.sort();
        return found;
    }

    int fileCount() const { return int(files_.size()); }

private:
    // Whether a project header includes torch, ATen, c10 or OpenCV, directly or through others.
    bool pullsTorch(const QString& header) const
    {
        if (const auto known = pullsTorch_.constFind(header); known != pullsTorch_.cend())
            return *known;
        pullsTorch_.insert(header, false); // include cycles end here
        bool pulls = false;
        for (const Include& inc : files_.value(header))
            pulls = pulls || (inc.system ? isTorch(inc.target) || isOpenCv(inc.target) : pullsTorch(inc.target));
        pullsTorch_.insert(header, pulls);
        return pulls;
    }

    QString root_;
    QHash<QString, QList<Include>> files_;
    mutable QHash<QString, bool> pullsTorch_;
};

} // namespace

class TestLayering : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void projectKeepsTheRules();
    void plantedIncludeIsCaught_data();
    void plantedIncludeIsCaught();
};

void TestLayering::projectKeepsTheRules()
{
    const SourceTree tree(LATENTLAB_SOURCE_DIR);
    QVERIFY2(tree.fileCount() > 100, "the source tree was not found");
    const QStringList violations = tree.violations();
    QVERIFY2(violations.isEmpty(), qPrintable(violations.join('\n')));
}

void TestLayering::plantedIncludeIsCaught_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("include");
    QTest::addColumn<QString>("rule");
    QTest::newRow("torch in ui") << "ui/Bad.cpp" << "<torch/torch.h>" << "ui/ has no torch";
    QTest::newRow("OpenCV in ui") << "ui/Bad.cpp" << "<opencv2/core.hpp>" << "ui/ has no torch";
    QTest::newRow("torch through a header") << "ui/Bad.cpp" << "\"models/VaeNetwork.h\"" << "not even through";
    QTest::newRow("Qt in core") << "core/latent/Bad.cpp" << "<QString>" << "no Qt";
    QTest::newRow("Qt in models") << "models/mlp/Bad.cpp" << "<QObject>" << "no Qt";
    QTest::newRow("core in models") << "models/mlp/Bad.cpp" << "\"core/data/Dataset.h\"" << "nothing of core but";
    QTest::newRow("core in base") << "core/base/Bad.cpp" << "\"core/model/Model.h\"" << "includes only core/base";
    QTest::newRow("torch in base") << "core/base/Bad.cpp" << "<torch/types.h>" << "core/base/ is torch-";
    QTest::newRow("torch in a public header") << "core/latent/Bad.h" << "<torch/types.h>" << "public headers are torch-free";
    QTest::newRow("detail in a public header") << "core/model/Bad.h" << "\"core/detail/ModelInternals.h\""
                                               << "detail/ headers are private";
    QTest::newRow("app in ui") << "ui/Bad.cpp" << "\"app/CommandLine.h\"" << "nothing includes app/";
    QTest::newRow("app in tests") << "tests/Bad.cpp" << "\"app/CliSupport.h\"" << "nothing includes app/";
}

void TestLayering::plantedIncludeIsCaught()
{
    QFETCH(QString, file);
    QFETCH(QString, include);
    QFETCH(QString, rule);
    // A copy of the real headers the rows name, and one planted file.
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    for (const QString& real : {"models/VaeNetwork.h", "models/ModelRegistry.h", "core/base/ModelConfig.h"}) {
        QVERIFY(QDir(dir.path()).mkpath(QFileInfo(real).path()));
        QVERIFY(QFile::copy(QString(LATENTLAB_SOURCE_DIR) + '/' + real, dir.path() + '/' + real));
    }
    QVERIFY(QDir(dir.path()).mkpath(QFileInfo(file).path()));
    QFile planted(dir.path() + '/' + file);
    QVERIFY(planted.open(QIODevice::WriteOnly));
    planted.write(("#include " + include + "\n").toUtf8());
    planted.close();

    const QStringList violations = SourceTree(dir.path()).violations();
    QCOMPARE(violations.size(), 1);
    QVERIFY2(violations.first().startsWith(file + ": includes ") && violations.first().contains(rule),
             qPrintable(violations.first()));
}

QTEST_APPLESS_MAIN(TestLayering)
#include "test_layering.moc"
