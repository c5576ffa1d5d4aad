#include <QFile>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

#include <zlib.h>

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
    void rejectsHostileHeaders_data();
    void rejectsHostileHeaders();
    void rejectsOversizedHeader();
    void rejectsNonFiniteWeights();

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
    QTest::newRow("rvae 48 grey") << QString("rvae") << 48 << 1 << true;
    QTest::newRow("rvae 32 rgb") << QString("rvae") << 32 << 3 << true;
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
    c.rotationPrior = 0.75;
    c.translationPrior = 0.2;
    const bool rvae = arch == "rvae";
    c.pixelSample = rvae ? 300 : 0;          // the rVAE's training settings (others refuse them)
    c.angleConsistency = rvae ? 25 : 0;
    Model model(c, 7);
    model.info().datasetSpec = "digits";
    model.info().classNames = {"zero", "one"};
    model.info().history.push_back({1, 1.5, 200, 180, 20, 210, 188, 22});
    model.info().attributes.push_back({"smile", std::vector<float>(6, 0.25f), {}, 0});
    model.info().attributes.push_back({"glasses", std::vector<float>(6, -0.5f), std::vector<double>(6, 1.5), -0.75});

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
    QCOMPARE(loaded->config().rotationPrior, 0.75);
    QCOMPARE(loaded->config().translationPrior, 0.2);
    QCOMPARE(loaded->config().pixelSample, c.pixelSample);
    QCOMPARE(loaded->config().angleConsistency, c.angleConsistency);
    QCOMPARE(loaded->info().datasetSpec, std::string("digits"));
    QCOMPARE(loaded->info().classNames.size(), std::size_t(2));
    QCOMPARE(loaded->info().history.size(), std::size_t(1));
    QCOMPARE(loaded->info().history[0].testLoss, 210.0);
    QCOMPARE(loaded->info().attributes.at(0).name, std::string("smile"));
    QCOMPARE(loaded->info().attributes.at(0).direction, std::vector<float>(6, 0.25f));
    QVERIFY(loaded->info().attributes.at(0).classifierNormal.empty());
    QCOMPARE(loaded->info().attributes.at(1).classifierNormal, std::vector<double>(6, 1.5));
    QCOMPARE(loaded->info().attributes.at(1).classifierBias, -0.75);
    QCOMPARE(loaded->parameterCount(), model.parameterCount());
    // The registry's count, computed without a network, is what the network holds.
    QCOMPARE(std::size_t(ModelRegistry::find(c.architecture).parameterCount(c)), model.parameterCount());
    ModelConfig conditional = c;
    conditional.conditionClasses = 3;
    conditional.hidden.clear(); // the family's default layers
    QCOMPARE(std::size_t(ModelRegistry::find(c.architecture).parameterCount(conditional)), Model(conditional).parameterCount());

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
    else if (damage == "shape") // 6 -> 5 latent dims: same header length, fewer parameters than the file holds
        bytes.replace("\"latent\": 6", "\"latent\": 5");
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

namespace {

// A model file is magic (16 bytes), the header's length (8, little-endian), the header, the weights.
constexpr int kHeaderStart = 24;

QByteArray headerOf(const QByteArray& file)
{
    qint64 length = 0;
    for (int i = 7; i >= 0; --i)
        length = (length << 8) | static_cast<unsigned char>(file[16 + i]);
    return file.mid(kHeaderStart, int(length));
}

QByteArray withHeader(const QByteArray& file, const QByteArray& header)
{
    QByteArray out = file.left(16);
    for (int i = 0; i < 8; ++i)
        out += char((quint64(header.size()) >> (8 * i)) & 0xff);
    return out + header + file.mid(kHeaderStart + headerOf(file).size());
}

} // namespace

void TestModelFile::rejectsHostileHeaders_data()
{
    // Each row rewrites the header of a good file (weights kept, so their checksum holds).
    QTest::addColumn<QString>("pattern");     // a regular expression on the header, "" for the whole header
    QTest::addColumn<QString>("replacement");
    QTest::addColumn<QString>("expected");
    const QString deep = QString("[").repeated(60000) + QString("]").repeated(60000);
    QTest::newRow("60,000 nested [") << "" << deep << "nested 60000 levels deep, at most 32";
    // Inside a valid header, `info` printed it recursively and overflowed the stack.
    QTest::newRow("60,000 nested [ in a field") << "\"attributes\": \\[\\]" << "\"attributes\": " + deep
                                               << "nested 60001 levels deep, at most 32";
    QTest::newRow("version 1e300") << "\"version\": 2" << "\"version\": 1e300" << "format version 1e+300 is not supported";
    QTest::newRow("format is a number") << "\"format\": \"latentlab-model\"" << "\"format\": 5" << "does not describe a LatentLab model";
    QTest::newRow("latent is a string") << "\"latent\": 6" << "\"latent\": \"6\"" << "'architecture.latent' must be a whole number, not string";
    QTest::newRow("latent is 6.5") << "\"latent\": 6" << "\"latent\": 6.5" << "'architecture.latent' must be a whole number, not 6.5";
    QTest::newRow("latent is 2^70") << "\"latent\": 6" << "\"latent\": 1180591620717411303424" << "'architecture.latent' must be a whole number";
    QTest::newRow("beta past double") << "\"beta\": 1.0" << "\"beta\": 1e400" << "beta";
    QTest::newRow("negative seed") << "\"seed\": \\d+" << "\"seed\": -1" << "'training.seed' must be a whole number of 0 or more";
    QTest::newRow("history entry not an object") << "\"history\": \\[\\]" << "\"history\": [3]" << "'training.history[0]' must be an object";
    // 1024 x 1024 pixels and hidden [512] built a 4.3 GB network before the tensor list was read.
    QTest::newRow("a 4 GB architecture in a small file") << "\"height\": 28,\\s*\"width\": 28"
                                                         << "\"height\": 1024, \"width\": 1024"
                                                         << "parameters but the file holds 52380 floats";
    QTest::newRow("2,000,000 hidden layers") << "\"hidden\": \\[[^\\]]*\\]" << "\"hidden\": [" + QString("1,").repeated(1999999) + "1]"
                                             << "'architecture.hidden' has 2000000 entries, at most 16";
    QTest::newRow("too many parameters") << "\"hidden\": \\[[^\\]]*\\]" << "\"hidden\": [65536, 65536]"
                                         << "over the limit of 134217728";
    QTest::newRow("attribute of the wrong length") << "\"attributes\": \\[\\]" << "\"attributes\": [{\"name\": \"smile\", \"direction\": [1, 2]}]"
                                                   << "attribute 'smile' has 2 values for a latent code of 6";
    QTest::newRow("attribute with a NaN") << "\"attributes\": \\[\\]" << "\"attributes\": [{\"name\": \"smile\", \"direction\": [1, 2, null, 4, 5, 6]}]"
                                          << "'attributes[0].direction' must be a finite number, not null";
    QTest::newRow("classifier of the wrong length") << "\"attributes\": \\[\\]"
        << "\"attributes\": [{\"name\": \"smile\", \"direction\": [1, 2, 3, 4, 5, 6], \"classifier\": {\"normal\": [1], \"bias\": 0}}]"
        << "the classifier of attribute 'smile' has 1 values for a latent code of 6";
    QTest::newRow("classifier without a bias") << "\"attributes\": \\[\\]"
        << "\"attributes\": [{\"name\": \"smile\", \"direction\": [1, 2, 3, 4, 5, 6], \"classifier\": {\"normal\": [1, 2, 3, 4, 5, 6]}}]"
        << "'attributes[0].classifier.bias' is missing";
    QTest::newRow("tensor shape of 2^62") << "\"shape\": \\[\\s*32,\\s*784\\s*\\]" << "\"shape\": [4611686018427387904, 4]"
                                          << "outside 0 to 4294967296";
    QTest::newRow("tensor list longer than the weights") << "\"shape\": \\[\\s*32,\\s*784\\s*\\]" << "\"shape\": [64, 784]"
                                                         << "the tensor list declares 77468 floats";
}

void TestModelFile::rejectsHostileHeaders()
{
    QFETCH(QString, pattern);
    QFETCH(QString, replacement);
    QFETCH(QString, expected);
    const QString path = dir_.filePath(QString("hostile-%1.latentlab").arg(QTest::currentDataTag()));
    ModelFile::save(Model(config("mlp", 28, 1, true)), path.toStdString());
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray bytes = file.readAll();
    file.close();
    QString header = QString::fromUtf8(headerOf(bytes));
    if (pattern.isEmpty()) {
        header = replacement;
    } else {
        const QRegularExpression re(pattern);
        QVERIFY2(header.contains(re), qPrintable("the header has " + pattern));
        header.replace(re, replacement);
    }
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write(withHeader(bytes, header.toUtf8()));
    file.close();

    // Names the file, in words rather than the JSON library's codes.
    const auto plain = [&](const QString& message) { return message.contains(path) && !message.contains("json.exception"); };
    try {
        ModelFile::load(path.toStdString());
        QFAIL("a hostile model file was accepted");
    } catch (const Error& e) {
        QVERIFY2(plain(e.what()) && QString(e.what()).contains(expected), e.what());
    }
    // `info` prints the header alone: it may show one whose fields are wrong, but never crash on it.
    try {
        ModelFile::readHeader(path.toStdString());
    } catch (const Error& e) {
        QVERIFY2(plain(e.what()), e.what());
    }
}

void TestModelFile::rejectsOversizedHeader()
{
    const QString path = dir_.filePath("long-header.latentlab");
    ModelFile::save(Model(config("mlp", 28, 1, true)), path.toStdString());
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadWrite));
    file.seek(16);
    file.write(QByteArray("\x00\x00\x00\x40\x00\x00\x00\x00", 8)); // 1 GiB of header
    file.close();
    try {
        ModelFile::readHeader(path.toStdString());
        QFAIL("a 1 GiB header was read");
    } catch (const Error& e) {
        QVERIFY2(QString(e.what()).contains("a header of 1073741824 bytes, over the limit of 16777216"), e.what());
    }
}

void TestModelFile::rejectsNonFiniteWeights()
{
    // What `train --lr inf` saved: NaN weights under a valid checksum.
    const QString path = dir_.filePath("nan.latentlab");
    ModelFile::save(Model(config("mlp", 28, 1, true)), path.toStdString());
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QByteArray bytes = file.readAll();
    file.close();
    QByteArray header = headerOf(bytes);
    const int weightsStart = kHeaderStart + header.size();
    bytes.replace(weightsStart + 400, 4, QByteArray("\x00\x00\xc0\x7f", 4)); // a quiet NaN
    const QByteArray weights = bytes.mid(weightsStart);
    const uLong crc = crc32(0, reinterpret_cast<const Bytef*>(weights.constData()), uInt(weights.size()));
    header = QString::fromUtf8(header).replace(QRegularExpression("\"crc32\": \\d+"), "\"crc32\": " + QString::number(crc)).toUtf8();
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write(withHeader(bytes, header));
    file.close();
    try {
        ModelFile::load(path.toStdString());
        QFAIL("a model with NaN weights was loaded");
    } catch (const Error& e) {
        QVERIFY2(QString(e.what()).contains("encoder.0.weight holds NaN or infinite values"), e.what());
    }
}

QTEST_GUILESS_MAIN(TestModelFile)
#include "test_modelfile.moc"
