#include <QtTest>

#include <QCryptographicHash>
#include <QProcess>
#include <QTemporaryDir>

#include <cmath>
#include <fstream>

#include "core/base/Error.h"
#include "core/formats/ModelFile.h"
#include "core/formats/TorchScriptFile.h"
#include "core/base/ModelConfig.h"
#include "core/model/Model.h"
#include "core/training/TrainingJob.h"

using namespace latentlab;

// PyTorch models in: pytorch/examples' VAE and a conv VAE, trained, scripted and saved by
// Debian's python3-torch (tests/python/torchscript_bridge.py), give LatentLab the outputs
// PyTorch gives; what LatentLab adds goes beside the file; bad files get clear messages.
class TestTorchScript : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void matchesPyTorch_data();
    void matchesPyTorch();
    void asksForWhatItCannotProbe();
    void rejects_data();
    void rejects();
    void attributesGoBesideTheFile();
    void savesACopyAsTorchScript();
    void isNotTrained();
    void exportRunsInPyTorch_data();
    void exportRunsInPyTorch();
    void exportRefuses();

private:
    QString path(const QString& name) const { return dir_.filePath(name); }
    QTemporaryDir dir_;
};

namespace {

// Runs tests/python/torchscript_bridge.py with `args`; fails the test when it does not work.
bool runPython(const QStringList& args)
{
    QProcess python;
    python.start("/usr/bin/python3", QStringList{LATENTLAB_SOURCE_DIR "/tests/python/torchscript_bridge.py"} + args);
    if (!python.waitForFinished(120000) || python.exitStatus() != QProcess::NormalExit || python.exitCode() != 0) {
        qWarning("python3 %s failed (python3-torch is installed by scripts/test.sh):\n%s", qPrintable(args.join(' ')),
                 python.readAllStandardError().constData());
        return false;
    }
    return true;
}

std::vector<float> readFloats(const QString& file)
{
    std::ifstream in(file.toStdString(), std::ios::binary | std::ios::ate);
    std::vector<float> values(std::size_t(in.tellg()) / sizeof(float));
    in.seekg(0);
    in.read(reinterpret_cast<char*>(values.data()), std::streamsize(values.size() * sizeof(float)));
    return values;
}

double maxAbsDifference(const std::vector<float>& a, const std::vector<float>& b)
{
    if (a.size() != b.size())
        return INFINITY;
    double worst = 0;
    for (std::size_t i = 0; i < a.size(); ++i)
        worst = std::max(worst, double(std::abs(a[i] - b[i])));
    return worst;
}

QByteArray hashOf(const QString& file)
{
    QFile f(file);
    f.open(QIODevice::ReadOnly);
    return QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256);
}

// The first `count` codes of `codes` (each `from` long) cut to `to` values.
std::vector<float> firstValues(const std::vector<float>& codes, std::size_t from, std::size_t to)
{
    std::vector<float> out;
    for (std::size_t i = 0; i + from <= codes.size(); i += from)
        out.insert(out.end(), codes.begin() + std::ptrdiff_t(i), codes.begin() + std::ptrdiff_t(i + to));
    return out;
}

} // namespace

void TestTorchScript::initTestCase()
{
    QVERIFY(dir_.isValid());
    QVERIFY(runPython({"make", dir_.path()}));
}

void TestTorchScript::matchesPyTorch_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<int>("latent");
    QTest::addColumn<bool>("flatInput");
    QTest::newRow("pytorch/examples' VAE: flat input, probabilities") << "examples-vae" << 20 << true;
    QTest::newRow("conv VAE: image input, logits") << "conv-vae" << 8 << false;
}

void TestTorchScript::matchesPyTorch()
{
    QFETCH(QString, name);
    QFETCH(int, latent);
    QFETCH(bool, flatInput);
    const std::unique_ptr<Model> model = ModelFile::load(path(name + ".pt").toStdString());
    QCOMPARE(model->config().latentDim, latent);
    QCOMPARE(model->config().architecture, std::string("torchscript"));
    QCOMPARE(model->info().datasetSpec, std::string("fashion-mnist"));
    QVERIFY(model->parameterCount() > 0);
    QVERIFY(TorchScriptFile::describe(*model).find(flatInput ? "\"flat\"" : "\"image\"") != std::string::npos);

    const std::vector<float> x = readFloats(path("x.f32"));
    const double encodeError = maxAbsDifference(model->encodeMeans(x), readFloats(path(name + "-mu.f32")));
    const std::vector<float> z = firstValues(readFloats(path("z.f32")), 20, std::size_t(latent));
    const double decodeError = maxAbsDifference(model->decode(z), readFloats(path(name + "-decode.f32")));
    qInfo("%s: max |LatentLab - PyTorch| encode %.2g, decode %.2g", qPrintable(name), encodeError, decodeError);
    QVERIFY(encodeError <= 1e-5);
    QVERIFY(decodeError <= 1e-5);

    // A snapshot (as the explorer takes while training) decodes the same, to rounding: its
    // weights sit elsewhere in memory, and OpenBLAS picks its kernels by alignment too (on a
    // Zen 4 the two differed in the last bits).
    const double snapshotError = maxAbsDifference(model->clone()->decode(z), model->decode(z));
    qInfo("snapshot: max difference %.2g", snapshotError);
    QVERIFY(snapshotError <= 1e-6);
}

void TestTorchScript::asksForWhatItCannotProbe()
{
    const std::string undescribed = path("undescribed.pt").toStdString();
    try {
        ModelFile::load(undescribed);
        QFAIL("a file without a description opened");
    } catch (const ScriptDescriptionMissing& e) {
        QVERIFY2(std::string(e.what()).find("undescribed.pt") != std::string::npos, e.what());
        QVERIFY2(std::string(e.what()).find("--image-shape") != std::string::npos, e.what());
    }
    ScriptDescription given;
    given.image = ImageShape{1, 28, 28};
    const std::unique_ptr<Model> model = TorchScriptFile::load(undescribed, given);
    QCOMPARE(model->config().latentDim, 20);
    const std::string description = TorchScriptFile::describe(*model);
    QVERIFY2(description.find("\"flat\"") != std::string::npos, description.c_str());
    QVERIFY2(description.find("\"probabilities\"") != std::string::npos, description.c_str());
    const std::vector<float> z = readFloats(path("z.f32"));
    QVERIFY(maxAbsDifference(model->decode(z), readFloats(path("examples-vae-decode.f32"))) <= 1e-5);
    // The answers are kept beside it: the next open needs none.
    ModelFile::save(*model, undescribed);
    QCOMPARE(ModelFile::load(undescribed)->config().latentDim, 20);
}

void TestTorchScript::rejects_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("expected");
    QTest::newRow("no encode or decode") << "no-methods.pt" << "has no encode or decode method";
    QTest::newRow("encode gives one tensor") << "wrong-signature.pt" << "encode is encode(x: Tensor) -> Tensor;";
    QTest::newRow("latent 10 declared, 20 given")
        << "contradicting.pt" << "declares a latent size of 10 but encode gives 20 values";
    QTest::newRow("truncated") << "truncated.pt" << "not a TorchScript file, or a damaged one";
    QTest::newRow("zip magic, not a zip") << "not-torchscript.pt" << "not a TorchScript file, or a damaged one";
    QTest::newRow("missing") << "missing.pt" << "cannot open the model file";
}

void TestTorchScript::rejects()
{
    QFETCH(QString, name);
    QFETCH(QString, expected);
    try {
        ModelFile::load(path(name).toStdString());
        QFAIL("a bad file opened");
    } catch (const Error& e) {
        const QString message = QString::fromStdString(e.what());
        QVERIFY2(message.startsWith(path(name)), qPrintable(message));
        QVERIFY2(message.contains(expected), qPrintable(message));
        QVERIFY2(!message.contains('\n'), qPrintable(message)); // no TorchScript backtrace
    }
}

void TestTorchScript::attributesGoBesideTheFile()
{
    const QString file = path("examples-vae.pt");
    const QByteArray before = hashOf(file);
    std::unique_ptr<Model> model = ModelFile::load(file.toStdString());
    model->info().attributes.push_back({"bright", std::vector<float>(20, 0.5f), std::vector<double>(20, 1.0), -0.25});
    ModelFile::save(*model, file.toStdString());
    QCOMPARE(hashOf(file), before); // the user's .pt is not rewritten
    QVERIFY(QFile::exists(QString::fromStdString(TorchScriptFile::sidecarPath(file.toStdString()))));
    const std::unique_ptr<Model> reopened = ModelFile::load(file.toStdString());
    QCOMPARE(reopened->info().attributes.size(), std::size_t(1));
    QCOMPARE(reopened->info().attributes[0].name, std::string("bright"));
    QCOMPARE(reopened->info().attributes[0].direction, std::vector<float>(20, 0.5f));
    QCOMPARE(reopened->info().attributes[0].classifierBias, -0.25);
    QCOMPARE(reopened->info().classNames.size(), std::size_t(10));
}

void TestTorchScript::savesACopyAsTorchScript()
{
    const std::unique_ptr<Model> model = ModelFile::load(path("conv-vae.pt").toStdString());
    model->info().attributes.push_back({"dark", std::vector<float>(8, -1.0f), {}, 0});
    const std::string copy = path("copy.pt").toStdString();
    ModelFile::save(*model, copy);
    const std::unique_ptr<Model> reopened = ModelFile::load(copy);
    QCOMPARE(reopened->info().importedFrom, copy);
    QCOMPARE(reopened->info().attributes.size(), std::size_t(1));
    const std::vector<float> z(16 * 8, 0.3f);
    QCOMPARE(reopened->decode(z), model->decode(z));
    QVERIFY(!QFile::exists(QString::fromStdString(TorchScriptFile::sidecarPath(copy))));
}

void TestTorchScript::isNotTrained()
{
    TrainingRequest request;
    request.resumePath = path("conv-vae.pt").toStdString();
    request.datasetSpec = "digits";
    try {
        TrainingJob(request).run({});
        QFAIL("a TorchScript model was trained");
    } catch (const Error& e) {
        QVERIFY2(std::string(e.what()).find("explored, not trained") != std::string::npos, e.what());
    }
}

void TestTorchScript::exportRunsInPyTorch_data()
{
    QTest::addColumn<QString>("architecture");
    QTest::addColumn<int>("latent");
    QTest::addColumn<QVector<int>>("hidden");
    QTest::newRow("MLP") << "mlp" << 20 << QVector<int>{64, 32};
    QTest::newRow("conv") << "conv" << 8 << QVector<int>{};
    QTest::newRow("rVAE (angle, shift, 2 content)") << "rvae" << 5 << QVector<int>{32, 32};
    QTest::newRow("VAE-GAN (its encoder and decoder)") << "vaegan" << 8 << QVector<int>{};
}

void TestTorchScript::exportRunsInPyTorch()
{
    QFETCH(QString, architecture);
    QFETCH(int, latent);
    QFETCH(QVector<int>, hidden);
    ModelConfig c;
    c.architecture = architecture.toStdString();
    c.latentDim = latent;
    c.hidden.assign(hidden.begin(), hidden.end());
    c.translationPrior = 0.15;
    Model model(c, 5);
    model.info().classNames = {"a", "b"};
    model.info().attributes.push_back({"up", std::vector<float>(std::size_t(latent), 0.25f), {}, 0});
    const QString exported = path(architecture + "-export.pt");
    TorchScriptFile::exportModel(model, exported.toStdString());
    QVERIFY(runPython({"run", exported, dir_.path()}));

    const std::vector<float> x = readFloats(path("x.f32"));
    const std::vector<float> z = firstValues(readFloats(path("z.f32")), 20, std::size_t(latent));
    const double encodeError = maxAbsDifference(model.encodeMeans(x), readFloats(path("run-mu.f32")));
    const double decodeError = maxAbsDifference(model.decode(z), readFloats(path("run-decode.f32")));
    qInfo("%s exported: max |PyTorch - LatentLab| encode %.2g, decode %.2g", qPrintable(architecture), encodeError,
          decodeError);
    QVERIFY(encodeError <= 1e-5);
    QVERIFY(decodeError <= 1e-5);
    QCOMPARE(readFloats(path("run-forward.f32")).size(), x.size()); // forward: a decode per image
    QFile description(path("run-description.json"));
    QVERIFY(description.open(QIODevice::ReadOnly));
    const QByteArray text = description.readAll();
    QVERIFY2(text.contains(QString("\"latent\": %1").arg(latent).toUtf8()), text.constData());

    // LatentLab opens its own export, attributes and all.
    const std::unique_ptr<Model> reopened = ModelFile::load(exported.toStdString());
    QCOMPARE(reopened->info().attributes.size(), std::size_t(1));
    QCOMPARE(reopened->info().classNames, model.info().classNames);
    QVERIFY(maxAbsDifference(reopened->decode(z), model.decode(z)) <= 1e-6);
}

void TestTorchScript::exportRefuses()
{
    ModelConfig c;
    c.conditionClasses = 3;
    QVERIFY_THROWS_EXCEPTION(Error, TorchScriptFile::exportModel(Model(c, 1), path("conditional.pt").toStdString()));
    c.conditionClasses = 0;
    c.variational = false;
    QVERIFY_THROWS_EXCEPTION(Error, TorchScriptFile::exportModel(Model(c, 1), path("ae.pt").toStdString()));
    QVERIFY(!QFile::exists(path("ae.pt")));
}

QTEST_GUILESS_MAIN(TestTorchScript)
#include "test_torchscript.moc"
