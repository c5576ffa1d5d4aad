#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

// Drives the real latentlab-cli binary, as scripts and the benchmarks do.
class TestCli : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void helpForEveryVerb_data();
    void helpForEveryVerb();
    void errors_data();
    void errors();
    void trainEvalInfo();
    void fashionMnistMatchesPyTorch();

private:
    struct Run {
        int exitCode = -1;
        QByteArray out, err;
        QList<QJsonObject> lines() const;
    };
    static Run cli(const QStringList& args, int timeoutMs = 120000);
    QTemporaryDir dir_;
};

TestCli::Run TestCli::cli(const QStringList& args, int timeoutMs)
{
    QProcess process;
    process.start(LATENTLAB_CLI, args);
    Run run;
    if (!process.waitForFinished(timeoutMs)) {
        process.kill();
        process.waitForFinished();
        return run;
    }
    run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -2;
    run.out = process.readAllStandardOutput();
    run.err = process.readAllStandardError();
    return run;
}

QList<QJsonObject> TestCli::Run::lines() const
{
    QList<QJsonObject> objects;
    for (const QByteArray& line : out.split('\n')) {
        if (line.trimmed().isEmpty())
            continue;
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(line, &error);
        if (error.error != QJsonParseError::NoError || !doc.isObject())
            qWarning("not a JSON object: %s", line.constData());
        objects.append(doc.object());
    }
    return objects;
}

void TestCli::helpForEveryVerb_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("expected");
    QTest::newRow("top level") << QStringList{"--help"} << "Verbs:";
    QTest::newRow("train") << QStringList{"train", "--help"} << "--epochs N";
    QTest::newRow("eval") << QStringList{"eval", "--help"} << "--iwae K";
    QTest::newRow("info") << QStringList{"info", "--help"} << "--model FILE";
}

void TestCli::helpForEveryVerb()
{
    QFETCH(QStringList, args);
    QFETCH(QString, expected);
    const Run run = cli(args);
    QCOMPARE(run.exitCode, 0);
    QVERIFY2(run.out.contains(expected.toUtf8()), run.out.constData());
}

void TestCli::errors_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("expected");
    QTest::newRow("no verb") << QStringList{} << "no verb";
    QTest::newRow("unknown verb") << QStringList{"dance"} << "unknown verb 'dance'";
    QTest::newRow("unknown option") << QStringList{"train", "--epoch", "3"} << "unknown option --epoch";
    QTest::newRow("missing value") << QStringList{"train", "--epochs"} << "needs a value";
    QTest::newRow("not a number") << QStringList{"train", "--epochs", "ten"} << "expects a whole number";
    QTest::newRow("unknown data set") << QStringList{"train", "--dataset", "cifar"} << "unknown data set 'cifar'";
    QTest::newRow("unknown architecture") << QStringList{"train", "--dataset", "digits", "--arch", "rnn"}
                                         << "unknown architecture";
    QTest::newRow("conv on 20 px") << QStringList{"train", "--dataset", "digits", "--arch", "conv"} << "28, 32 or 64 px";
    QTest::newRow("eval without model") << QStringList{"eval"} << "needs --model";
    QTest::newRow("eval missing model") << QStringList{"eval", "--model", "/nonexistent.latentlab"} << "cannot open";
    QTest::newRow("info of a non-model") << QStringList{"info", "--model", "/etc/hostname"}
                                        << "not a LatentLab model file";
}

void TestCli::errors()
{
    QFETCH(QStringList, args);
    QFETCH(QString, expected);
    const Run run = cli(args);
    QVERIFY(run.exitCode > 0);
    QVERIFY2(run.err.contains(expected.toUtf8()), run.err.constData());
    QVERIFY2(run.out.isEmpty(), "errors go to stderr only");
}

void TestCli::trainEvalInfo()
{
    const QString model = dir_.filePath("digits.latentlab");
    const Run train = cli({"train", "--dataset", "digits", "--epochs", "2", "--latent", "4", "--hidden", "64",
                           "--batch", "64", "--out", model});
    QVERIFY2(train.exitCode == 0, train.err.constData());
    const QList<QJsonObject> lines = train.lines();
    QCOMPARE(lines.size(), 3);
    for (int epoch = 1; epoch <= 2; ++epoch) {
        const QJsonObject& o = lines[epoch - 1];
        QCOMPARE(o["epoch"].toInt(), epoch);
        for (const char* key : {"seconds", "train_loss", "test_loss", "train_recon", "train_kl", "images_per_second"})
            QVERIFY2(o[key].toDouble() > 0, key);
    }
    const QJsonObject& summary = lines[2];
    QCOMPARE(summary["epochs"].toInt(), 2);
    QCOMPARE(summary["model"].toString(), model);
    QCOMPARE(summary["outcome"].toString(), QString("finished"));
    QVERIFY(std::abs(summary["train_seconds"].toDouble() - lines[0]["seconds"].toDouble() - lines[1]["seconds"].toDouble())
            < 1e-6);
    QCOMPARE(summary["test_loss"].toDouble(), lines[1]["test_loss"].toDouble());

    const Run eval = cli({"eval", "--model", model, "--iwae", "20", "--limit", "100"});
    QVERIFY2(eval.exitCode == 0, eval.err.constData());
    const QJsonObject e = eval.lines().value(0);
    QCOMPARE(e["images"].toInt(), 100);
    QVERIFY(e["nll_iwae"].toDouble() > 0);
    QVERIFY(std::abs(e["test_loss"].toDouble() - e["recon"].toDouble() - e["kl"].toDouble()) < 1e-6 * e["test_loss"].toDouble());

    const Run info = cli({"info", "--model", model});
    QCOMPARE(info.exitCode, 0);
    const QJsonObject header = QJsonDocument::fromJson(info.out).object();
    QCOMPARE(header["dataset"].toObject()["spec"].toString(), QString("digits"));
    QCOMPARE(header["architecture"].toObject()["latent"].toInt(), 4);
}

// The bar: 10 epochs of the 784-400-20 VAE reach within 1% of 244
// (PyTorch: 243.97 with the same settings).
void TestCli::fashionMnistMatchesPyTorch()
{
    const QString model = dir_.filePath("fashion.latentlab");
    const Run train = cli({"train", "--dataset", "fashion-mnist", "--arch", "mlp", "--latent", "20", "--epochs", "10",
                           "--batch", "128", "--lr", "1e-3", "--seed", "1", "--out", model},
                          600000);
    QVERIFY2(train.exitCode == 0, train.err.constData());
    const double testLoss = train.lines().last()["test_loss"].toDouble();
    qInfo("Fashion-MNIST test loss after 10 epochs: %.2f", testLoss);
    QVERIFY2(std::abs(testLoss - 244.0) <= 2.44, qPrintable(QString::number(testLoss)));

    const Run eval = cli({"eval", "--model", model});
    QVERIFY2(eval.exitCode == 0, eval.err.constData());
    QVERIFY(std::abs(eval.lines().value(0)["test_loss"].toDouble() - 244.0) <= 2.44);
}

QTEST_GUILESS_MAIN(TestCli)
#include "test_cli.moc"
