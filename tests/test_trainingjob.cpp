// TrainingJob: the one training run of the CLI and the window. Fitting the config to
// the data, the best model on disk after every improving epoch, continuing a model with
// its optimiser state (and without, with a note), cancel while paused, and the
// process-wide random generator left alone.
#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <limits>
#include <thread>

#include "core/base/Error.h"
#include "core/data/DatasetLoader.h"
#include "core/formats/ModelFile.h"
#include "core/training/TrainingJob.h"

using namespace latentlab;

class TestTrainingJob : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void fitsTheConfigToTheData_data();
    void fitsTheConfigToTheData();
    void bestModelOnDiskAfterEveryEpoch();
    void bestIsJudgedByTheTrainedObjective();
    void continuesWithTheOptimiserState();
    void continuesAnOldFileWithANote();
    void cancelWakesAPausedJob();
    void cancelBeforeRunStopsAtOnce();
    void sameSeedSameRunWhateverElseDraws();
    void divergedRunKeepsTheGoodFile_data();
    void divergedRunKeepsTheGoodFile();
    void rejectsBadSettingsAtTheStart_data();
    void rejectsBadSettingsAtTheStart();
    void continuingKeepsTheModelsOwnSettings();
    void recordedDataSetIsASuggestion_data();
    void recordedDataSetIsASuggestion();

private:
    TrainingRequest digitsRequest(int epochs, const QString& file) const;
    std::shared_ptr<const DatasetSplit> digits_;
    QTemporaryDir dir_;
};

void TestTrainingJob::initTestCase()
{
    auto all = DatasetLoader::load("digits");
    // 600 training and 100 test images: an epoch in a fraction of a second.
    digits_ = std::make_shared<const DatasetSplit>(DatasetSplit{all.spec, all.train.head(600), all.test.head(100), {}});
}

TrainingRequest TestTrainingJob::digitsRequest(int epochs, const QString& file) const
{
    TrainingRequest r;
    r.datasetSpec = "digits";
    r.model.hidden = {64};
    r.model.latentDim = 4;
    r.training.epochs = epochs;
    r.training.batchSize = 50;
    r.training.threads = 1;
    r.training.device = "cpu";
    r.savePath = file.isEmpty() ? std::string() : dir_.filePath(file).toStdString();
    return r;
}

void TestTrainingJob::fitsTheConfigToTheData_data()
{
    QTest::addColumn<bool>("conditional");
    QTest::addColumn<bool>("labelled");
    QTest::addColumn<int>("classes");
    QTest::addColumn<QString>("error");
    QTest::newRow("plain") << false << true << 0 << "";
    QTest::newRow("conditional on labels") << true << true << 10 << "";
    QTest::newRow("conditional, no labels") << true << false << 0 << "has no labels to condition on";
}

void TestTrainingJob::fitsTheConfigToTheData()
{
    QFETCH(bool, conditional);
    QFETCH(bool, labelled);
    QFETCH(int, classes);
    QFETCH(QString, error);
    const Dataset& d = digits_->train;
    const Dataset data = labelled ? d : Dataset("unlabelled", d.shape(), d.pixels());
    ModelConfig asked;
    asked.latentDim = 3;
    try {
        const ModelConfig c = TrainingJob::fitToData(asked, data, conditional, "the set");
        QVERIFY2(error.isEmpty(), "expected an error");
        QCOMPARE(c.height, 20);
        QCOMPARE(c.width, 20);
        QCOMPARE(c.channels, 1);
        QCOMPARE(c.conditionClasses, classes);
        QCOMPARE(c.latentDim, 3);
    } catch (const Error& e) {
        QVERIFY2(!error.isEmpty() && QString(e.what()).contains(error), e.what());
    }
}

void TestTrainingJob::bestModelOnDiskAfterEveryEpoch()
{
    TrainingJob job(digitsRequest(3, "best.latentlab"));
    job.setData(digits_);
    const std::string path = job.request().savePath;
    std::vector<double> onDisk, reported;
    TrainingEvents events;
    events.progress = [&](const TrainingProgress& p) {
        if (!p.epochDone)
            return;
        reported.push_back(p.record.testLoss);
        onDisk.push_back(ModelFile::load(path)->info().history.back().testLoss); // written before it is reported
    };
    const TrainingJobResult result = job.run(events);
    QCOMPARE(int(result.outcome), int(TrainingOutcome::Finished));
    QVERIFY(result.saved);
    QCOMPARE(onDisk.size(), std::size_t(3));
    // The file holds the best epoch so far, never a worse one.
    double best = reported.front();
    for (std::size_t i = 0; i < reported.size(); ++i) {
        best = std::min(best, reported[i]);
        QCOMPARE(onDisk[i], best);
    }
    const std::vector<float> codes(8, 0.3f);
    QCOMPARE(ModelFile::load(path)->decode(codes), result.best->decode(codes));
    QVERIFY(ModelFile::load(path)->hasOptimizerState());
}

// A beta-VAE is kept by the objective it trains on (recon + beta * KL on the test set), not
// by the negative ELBO: at beta 0.02 the KL grows as the reconstructions improve, and the
// ELBO alone kept the first epoch of a 100-epoch run.
void TestTrainingJob::bestIsJudgedByTheTrainedObjective()
{
    TrainingRequest r = digitsRequest(4, "small-beta.latentlab");
    r.model.beta = 0.001;
    r.model.hidden = {256};
    r.model.latentDim = 64;
    TrainingJob job(r);
    job.setData(digits_);
    std::vector<EpochRecord> records;
    TrainingEvents events;
    events.progress = [&](const TrainingProgress& p) {
        if (p.epochDone)
            records.push_back(p.record);
    };
    const TrainingJobResult result = job.run(events);
    QCOMPARE(int(result.outcome), int(TrainingOutcome::Finished));
    QCOMPARE(records.size(), std::size_t(4));
    const auto objective = [](const EpochRecord& e) { return e.testRecon + 0.001 * e.testKl; };
    const auto best = std::min_element(records.begin(), records.end(),
                                       [&](const EpochRecord& a, const EpochRecord& b) { return objective(a) < objective(b); });
    const auto bestElbo = std::min_element(records.begin(), records.end(),
                                           [](const EpochRecord& a, const EpochRecord& b) { return a.testLoss < b.testLoss; });
    qInfo("best epoch by the objective %d, by the ELBO %d", best->epoch, bestElbo->epoch);
    QVERIFY(best->epoch != bestElbo->epoch); // the case this guards: the two disagree
    QCOMPARE(ModelFile::load(r.savePath)->info().history.back().epoch, best->epoch);
}

void TestTrainingJob::continuesWithTheOptimiserState()
{
    TrainingRequest firstRequest = digitsRequest(1, "resume.latentlab");
    firstRequest.training.seed = 7;
    TrainingJob first(firstRequest);
    first.setData(digits_);
    first.run();
    const std::string path = first.request().savePath;
    const std::string header = ModelFile::readHeader(path);
    QVERIFY2(QString::fromStdString(header).contains("\"step\": 12"), header.c_str()); // 600 / 50 batches

    TrainingRequest more = digitsRequest(2, "");
    more.resumePath = path;
    more.savePath = path;
    TrainingJob second(more);
    second.setData(digits_);
    QStringList notes;
    TrainingEvents events;
    events.note = [&](const std::string& text) { notes << QString::fromStdString(text); };
    const TrainingJobResult result = second.run(events);
    QVERIFY2(notes.isEmpty(), qPrintable(notes.join('\n')));
    QCOMPARE(int(result.outcome), int(TrainingOutcome::Finished));
    const auto resumed = ModelFile::load(path);
    QCOMPARE(resumed->info().history.size(), std::size_t(3));
    QCOMPARE(resumed->info().history.back().epoch, 3);
    QVERIFY(QString::fromStdString(ModelFile::readHeader(path)).contains("\"step\": 36"));
    QCOMPARE(resumed->info().seed, 7ull); // the weights' seed, not the continued run's
}

void TestTrainingJob::continuesAnOldFileWithANote()
{
    // A model trained before optimiser state was kept: weights and history only.
    TrainingJob first(digitsRequest(1, ""));
    first.setData(digits_);
    const TrainingJobResult trained = first.run();
    auto weightsOnly = std::make_unique<Model>(trained.best->config());
    weightsOnly->info() = trained.best->info();
    QVERIFY(!weightsOnly->hasOptimizerState());

    TrainingJob second(digitsRequest(1, ""));
    second.setData(digits_);
    second.setStartModel(std::move(weightsOnly));
    QStringList notes;
    TrainingEvents events;
    events.note = [&](const std::string& text) { notes << QString::fromStdString(text); };
    const TrainingJobResult result = second.run(events);
    QCOMPARE(notes.size(), 1);
    QVERIFY2(notes.first().contains("no optimiser state"), qPrintable(notes.first()));
    QCOMPARE(int(result.outcome), int(TrainingOutcome::Finished));
    QCOMPARE(result.epochsDone, 1);
}

void TestTrainingJob::cancelWakesAPausedJob()
{
    TrainingJob job(digitsRequest(1000, ""));
    job.setData(digits_);
    std::atomic<int> batches{0};
    TrainingEvents events;
    events.progress = [&](const TrainingProgress&) { ++batches; };
    TrainingJobResult result;
    std::thread worker([&] { result = job.run(events); });
    while (batches < 3)
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    job.setPaused(true);
    std::this_thread::sleep_for(std::chrono::milliseconds(50)); // asleep in the pause now
    job.requestCancel();
    // A missed wake-up would hang here: the test's timeout would fail it.
    worker.join();
    QCOMPARE(int(result.outcome), int(TrainingOutcome::Cancelled));
}

void TestTrainingJob::cancelBeforeRunStopsAtOnce()
{
    TrainingJob job(digitsRequest(1000, "never.latentlab"));
    job.setData(digits_);
    job.requestCancel();
    const TrainingJobResult result = job.run();
    QCOMPARE(int(result.outcome), int(TrainingOutcome::Cancelled));
    QCOMPARE(result.epochsDone, 0);
    QVERIFY(!result.saved);
    QVERIFY(!QFile::exists(QString::fromStdString(job.request().savePath)));
}

void TestTrainingJob::sameSeedSameRunWhateverElseDraws()
{
    // One thread, so that the arithmetic repeats exactly. Building a model between two
    // steps (as the window's snapshots and the Statistics dock do) once reseeded torch's
    // global generator and changed the batches and noise; the job has its own now.
    const auto train = [&](bool disturb) {
        TrainingJob job(digitsRequest(2, ""));
        job.setData(digits_);
        TrainingEvents events;
        if (disturb)
            events.progress = [](const TrainingProgress& p) { Model(ModelConfig{}, 1000 + p.batch).clone(); };
        return job.run(events).best->info().history.back().testLoss;
    };
    QCOMPARE(train(true), train(false));
}

namespace {

std::string fileBytes(const std::string& path)
{
    QFile f(QString::fromStdString(path));
    return f.open(QIODevice::ReadOnly) ? f.readAll().toStdString() : std::string();
}

} // namespace

void TestTrainingJob::divergedRunKeepsTheGoodFile_data()
{
    QTest::addColumn<bool>("continuing");
    QTest::newRow("a new model over a good file") << false;
    QTest::newRow("continuing the good file") << true;
}

void TestTrainingJob::divergedRunKeepsTheGoodFile()
{
    // One batch per epoch: the step that blows the weights up is the epoch's last, so no
    // batch's loss shows it; only the weights and the test loss after the epoch do.
    QFETCH(bool, continuing);
    TrainingRequest good = digitsRequest(1, continuing ? "continued.latentlab" : "replaced.latentlab");
    TrainingJob first(good);
    first.setData(digits_);
    QCOMPARE(int(first.run().outcome), int(TrainingOutcome::Finished));
    const std::string path = good.savePath;
    const std::string before = fileBytes(path);
    QVERIFY(!before.empty());

    TrainingRequest wild = digitsRequest(2, "");
    wild.savePath = path;
    wild.training.learningRate = 1e30;
    wild.training.batchSize = 600;
    if (continuing)
        wild.resumePath = path;
    TrainingJob second(wild);
    second.setData(digits_);
    std::vector<double> epochLosses;
    TrainingEvents events;
    events.progress = [&](const TrainingProgress& p) {
        if (p.epochDone)
            epochLosses.push_back(p.record.testLoss);
    };
    const TrainingJobResult result = second.run(events);
    QCOMPARE(int(result.outcome), int(TrainingOutcome::Diverged));
    QVERIFY(!result.saved);
    QCOMPARE(result.epochsDone, 0);
    QVERIFY2(epochLosses.empty(), "a diverged epoch is not reported as finished");
    const QString message = QString::fromStdString(result.message);
    QVERIFY2(message.contains("epoch 1") && message.contains("lower learning rate")
                 && (message.contains("weights") || message.contains("test loss")), qPrintable(message));
    QVERIFY(fileBytes(path) == before);
    QVERIFY(ModelFile::load(path) != nullptr);
    // What the run hands back is the last good state, never the non-finite one.
    for (float v : result.best->decode(std::vector<float>(4, 0.3f)))
        QVERIFY(std::isfinite(v));
}

void TestTrainingJob::rejectsBadSettingsAtTheStart_data()
{
    QTest::addColumn<double>("learningRate");
    QTest::addColumn<int>("batchSize");
    QTest::addColumn<int>("epochs");
    QTest::addColumn<int>("threads");
    QTest::addColumn<QString>("error");
    const double inf = std::numeric_limits<double>::infinity();
    QTest::newRow("lr nan") << std::nan("") << 50 << 1 << 1 << "learning rate must be a finite number above 0, not NaN";
    QTest::newRow("lr inf") << inf << 50 << 1 << 1 << "learning rate must be a finite number above 0, not inf";
    QTest::newRow("lr -1") << -1.0 << 50 << 1 << 1 << "learning rate must be a finite number above 0, not -1";
    QTest::newRow("lr 0, a new model") << 0.0 << 50 << 1 << 1 << "not 0 (0 keeps the model's own only when continuing)";
    QTest::newRow("batch 0") << 1e-3 << 0 << 1 << 1 << "batch size must be 1 to 65536, not 0";
    QTest::newRow("batch -5") << 1e-3 << -5 << 1 << 1 << "batch size must be 1 to 65536, not -5";
    QTest::newRow("batch 100000") << 1e-3 << 100000 << 1 << 1 << "batch size must be 1 to 65536, not 100000";
    QTest::newRow("epochs 0") << 1e-3 << 50 << 0 << 1 << "epochs must be 1 to 1000000, not 0";
    QTest::newRow("threads 100000") << 1e-3 << 50 << 1 << 100000 << "threads must be 0 (all cores) to 256, not 100000";
}

void TestTrainingJob::rejectsBadSettingsAtTheStart()
{
    QFETCH(double, learningRate);
    QFETCH(int, batchSize);
    QFETCH(int, epochs);
    QFETCH(int, threads);
    QFETCH(QString, error);
    TrainingRequest r = digitsRequest(epochs, "bad-settings.latentlab");
    r.training.learningRate = learningRate;
    r.training.batchSize = batchSize;
    r.training.threads = threads;
    // Checked before the data set is loaded: this one does not exist.
    r.datasetSpec = "idx:" + dir_.filePath("no-such-images").toStdString();
    TrainingJob job(r);
    try {
        job.run();
        QFAIL("trained with bad settings");
    } catch (const Error& e) {
        QVERIFY2(QString(e.what()).contains(error), e.what());
    }
    QVERIFY(!QFile::exists(QString::fromStdString(r.savePath)));
}

void TestTrainingJob::continuingKeepsTheModelsOwnSettings()
{
    TrainingRequest r = digitsRequest(1, "own-settings.latentlab");
    r.training.learningRate = 2e-3;
    r.training.batchSize = 40;
    TrainingJob first(r);
    first.setData(digits_);
    first.run();

    TrainingRequest more = digitsRequest(1, "");
    more.resumePath = more.savePath = r.savePath;
    more.training.learningRate = 0;
    more.training.batchSize = 0;
    TrainingJob second(more);
    second.setData(digits_);
    QCOMPARE(int(second.run().outcome), int(TrainingOutcome::Finished));
    const auto continued = ModelFile::load(r.savePath);
    QCOMPARE(continued->info().learningRate, 2e-3);
    QCOMPARE(continued->info().batchSize, 40);

    // Only 0 means "the model's own": a negative value is an error, continuing or not.
    more.training.learningRate = -1;
    TrainingJob third(more);
    third.setData(digits_);
    QVERIFY_THROWS_EXCEPTION(Error, third.run());
}

void TestTrainingJob::recordedDataSetIsASuggestion_data()
{
    QTest::addColumn<QString>("spec");
    QTest::newRow("the whole file system") << "folder:/";
    QTest::newRow("a million faces") << "synth-faces:1000000";
}

void TestTrainingJob::recordedDataSetIsASuggestion()
{
    // train --resume without a data set loaded whatever the file recorded.
    QFETCH(QString, spec);
    ModelConfig config;
    config.hidden = {16};
    config.latentDim = 2;
    Model model(config);
    model.info().datasetSpec = spec.toStdString();
    const std::string path = dir_.filePath("records-" + QString::number(QTest::currentDataTag()[0]) + ".latentlab").toStdString();
    ModelFile::save(model, path);
    TrainingRequest more = digitsRequest(1, "");
    more.datasetSpec.clear();
    more.resumePath = path;
    try {
        TrainingJob(more).run();
        QFAIL("the recorded data set was loaded unasked");
    } catch (const Error& e) {
        QVERIFY2(QString(e.what()).contains("records the data set '" + spec + "', which is not loaded without asking"), e.what());
    }
}

QTEST_GUILESS_MAIN(TestTrainingJob)
#include "test_trainingjob.moc"
