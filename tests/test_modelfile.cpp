#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include "core/base/Error.h"
#include "core/formats/ModelFile.h"
#include "models/ModelRegistry.h"

using namespace latentlab;

class TestModelFile : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void roundTrip_data();
    void roundTrip();
    void noTemporaryFileLeft();
    void rejects_data();
    void rejects();

private:
    QTemporaryDir dir_;
};

namespace {

std::vector<float> testCodes(int latent)
{
    std::vector<float> codes;
    for (int i = 0; i < 3 * latent; ++i)
        codes.push_back(float(i % 7) * 0.4f - 1.2f);
    return codes;
}

ModelConfig config(const std::string& arch, int side, int channels, bool variational)
{
    ModelConfig c;
    c.architecture = arch;
    c.latentDim = 6;
    c.height = c.width = side;
    c.channels = channels;
    c.variational = variational;
    if (arch == "mlp")
        c.hidden = {32, 16};
    else
        c.hidden = std::vector<int>(ModelRegistry::effectiveHidden(c).size(), 8);
    return c;
}

} // namespace

void TestModelFile::roundTrip_data()
{
    QTest::addColumn<QString>("arch");
    QTest::addColumn<int>("side");
    QTest::addColumn<int>("channels");
    QTest::addColumn<bool>("variational");
    QTest::newRow("mlp vae 28 grey") << QString("mlp") << 28 << 1 << true;
    QTest::newRow("mlp autoencoder 20 grey") << QString("mlp") << 20 << 1 << false;
    QTest::newRow("conv vae 28 grey") << QString("conv") << 28 << 1 << true;
    QTest::newRow("conv vae 32 rgb") << QString("conv") << 32 << 3 << true;
    QTest::newRow("conv autoencoder 64 rgb") << QString("conv") << 64 << 3 << false;
}

void TestModelFile::roundTrip()
{
    QFETCH(QString, arch);
    QFETCH(int, side);
    QFETCH(int, channels);
    QFETCH(bool, variational);
    ModelConfig c = config(arch.toStdString(), side, channels, variational);
    c.likelihood = Likelihood::Laplace;
    c.beta = 2.5;
    Model model(c, 7);
    model.info().datasetSpec = "digits";
    model.info().classNames = {"zero", "one"};
    model.info().history.push_back({1, 1.5, 200, 180, 20, 210, 188, 22});
    model.info().attributes.push_back({"smile", std::vector<float>(6, 0.25f)});

    const std::string path = dir_.filePath(QTest::currentDataTag()).toStdString();
    ModelFile::save(model, path);
    const std::unique_ptr<Model> loaded = ModelFile::load(path);

    QCOMPARE(loaded->config().latentDim, 6);
    QCOMPARE(QString::fromStdString(loaded->config().architecture), arch);
    QCOMPARE(loaded->config().variational, variational);
    QCOMPARE(loaded->config().channels, channels);
    QCOMPARE(loaded->config().height, side);
    QCOMPARE(int(loaded->config().likelihood), int(Likelihood::Laplace));
    QCOMPARE(loaded->config().beta, 2.5);
    QCOMPARE(loaded->info().datasetSpec, std::string("digits"));
    QCOMPARE(loaded->info().classNames.size(), std::size_t(2));
    QCOMPARE(loaded->info().history.size(), std::size_t(1));
    QCOMPARE(loaded->info().history[0].testLoss, 210.0);
    QCOMPARE(loaded->info().attributes.at(0).name, std::string("smile"));
    QCOMPARE(loaded->info().attributes.at(0).direction, std::vector<float>(6, 0.25f));
    QCOMPARE(loaded->parameterCount(), model.parameterCount());

    // Same outputs after load, to the bit.
    const std::vector<float> codes = testCodes(6);
    QCOMPARE(loaded->decode(codes), model.decode(codes));
    const std::vector<float> images = model.decode(codes);
    QCOMPARE(loaded->encodeMeans(images), model.encodeMeans(images));
    // A freshly initialised network with another seed differs: the comparison can fail.
    QVERIFY(Model(c, 8).decode(codes) != model.decode(codes));
}

void TestModelFile::noTemporaryFileLeft()
{
    const std::string path = dir_.filePath("atomic.latentlab").toStdString();
    Model model(config("mlp", 28, 1, true));
    ModelFile::save(model, path);
    ModelFile::save(model, path); // replaces the old file
    QVERIFY(QFile::exists(QString::fromStdString(path)));
    QVERIFY(!QFile::exists(QString::fromStdString(path + ".tmp")));
    try {
        ModelFile::save(model, dir_.filePath("no/such/folder/m.latentlab").toStdString());
        QFAIL("saved into a folder that does not exist");
    } catch (const Error& e) {
        QVERIFY2(QString(e.what()).contains("cannot write"), e.what());
    }
}

void TestModelFile::rejects_data()
{
    QTest::addColumn<QString>("damage");
    QTest::addColumn<QString>("expected");
    QTest::newRow("missing file") << "missing" << "cannot open";
    QTest::newRow("not a model") << "text" << "not a LatentLab model file";
    QTest::newRow("empty file") << "empty" << "not a LatentLab model file";
    QTest::newRow("truncated header") << "cut-header" << "truncated";
    QTest::newRow("truncated weights") << "cut-weights" << "truncated";
    QTest::newRow("flipped weight byte") << "flip" << "checksum mismatch";
    QTest::newRow("extra bytes") << "append" << "unexpected bytes";
    QTest::newRow("newer version") << "version" << "format version 9 is not supported";
    QTest::newRow("corrupt JSON") << "json" << "header is corrupt";
    QTest::newRow("shape mismatch") << "shape" << "shape mismatch";
    QTest::newRow("unknown architecture") << "arch" << "unknown architecture";
}

void TestModelFile::rejects()
{
    QFETCH(QString, damage);
    QFETCH(QString, expected);
    const QString path = dir_.filePath(QString("bad-%1.latentlab").arg(damage));
    ModelFile::save(Model(config("mlp", 28, 1, true)), path.toStdString());
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QByteArray bytes = file.readAll();
    file.close();
    const int headerEnd = bytes.indexOf("\n}") + 2;

    if (damage == "text")
        bytes = "hello, I am a text file\n";
    else if (damage == "empty")
        bytes.clear();
    else if (damage == "cut-header")
        bytes.truncate(headerEnd / 2);
    else if (damage == "cut-weights")
        bytes.truncate(bytes.size() - 100);
    else if (damage == "flip")
        bytes[bytes.size() - 500] = char(bytes[bytes.size() - 500] ^ 0x40);
    else if (damage == "append")
        bytes.append("junk");
    else if (damage == "version")
        bytes.replace("\"version\": 2", "\"version\": 9"); // same length: the header size still fits
    else if (damage == "json")
        bytes.replace("\"format\"", "\"format\"::");
    else if (damage == "shape") // 20 -> 21 latent dims: same header length
        bytes.replace("\"latent\": 6", "\"latent\": 7");
    else if (damage == "arch")
        bytes.replace("\"type\": \"mlp\"", "\"type\": \"rnn\"");
    if (damage == "missing")
        QFile::remove(path);
    else {
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write(bytes);
        file.close();
    }

    try {
        ModelFile::load(path.toStdString());
        QFAIL("a bad model file was loaded");
    } catch (const Error& e) {
        QVERIFY2(QString::fromUtf8(e.what()).contains(expected), e.what());
        QVERIFY2(QString::fromUtf8(e.what()).contains(path), "the message names the file");
    }
}

QTEST_GUILESS_MAIN(TestModelFile)
#include "test_modelfile.moc"
