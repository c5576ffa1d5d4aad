#include <QSignalSpy>
#include <QtTest>

#include "core/latent/LatentGrid.h"
#include "ui/ImageConversion.h"
#include "ui/ClassPalette.h"
#include "ui/LatentMapView.h"
#include "ui/ScatterColouring.h"

using namespace latentlab;

// Drives the real map widget offscreen with mouse, wheel and keys.
class TestLatentMapView : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void colouringByFactorOrAttribute();
    void dragMovesPlaneByMappedAmount_data();
    void dragMovesPlaneByMappedAmount();
    void zoomKeepsPointUnderCursor_data();
    void zoomKeepsPointUnderCursor();
    void doubleClickCentres();
    void keysPanAndZoom();
    void newestRequestWins();
    void clickPicksScatterPoint();
    void scatterIndexPastTheDataIsIgnored_data();
    void scatterIndexPastTheDataIsIgnored();
    void conditionalModelDecodesChosenClass();

private:
    static void send(QWidget* w, QEvent::Type type, QPointF at, Qt::MouseButtons buttons);
    bool waitForNewestFrame();
    std::unique_ptr<LatentMapView> view_;
};

void TestLatentMapView::init()
{
    ModelConfig c;
    c.latentDim = 2;
    c.hidden = {64};
    view_ = std::make_unique<LatentMapView>();
    view_->resize(600, 600);
    view_->setModel(std::make_shared<const Model>(c));
    view_->show();
    QVERIFY(QTest::qWaitForWindowExposed(view_.get()));
    QVERIFY(waitForNewestFrame());
}

void TestLatentMapView::cleanup()
{
    view_.reset();
}

bool TestLatentMapView::waitForNewestFrame()
{
    return QTest::qWaitFor([&] { return view_->paintedStamp() == view_->latestStamp() && view_->latestStamp() > 0; },
                           5000);
}

void TestLatentMapView::send(QWidget* w, QEvent::Type type, QPointF at, Qt::MouseButtons buttons)
{
    QMouseEvent event(type, at, w->mapToGlobal(at), type == QEvent::MouseMove ? Qt::NoButton : Qt::LeftButton,
                      buttons, Qt::NoModifier);
    QApplication::sendEvent(w, &event);
}

void TestLatentMapView::dragMovesPlaneByMappedAmount_data()
{
    QTest::addColumn<QPointF>("delta");
    QTest::addColumn<bool>("inverseCdf");
    QTest::newRow("right 40") << QPointF(40, 0) << false;
    QTest::newRow("up-left") << QPointF(-25, -60) << false;
    QTest::newRow("inverse CDF spacing") << QPointF(30, 10) << true;
}

void TestLatentMapView::dragMovesPlaneByMappedAmount()
{
    QFETCH(QPointF, delta);
    QFETCH(bool, inverseCdf);
    if (inverseCdf) {
        view_->setSpacing(GridSpacing::InverseCdf);
        QVERIFY(waitForNewestFrame());
    }
    const PlaneRange before = view_->range();
    const QPointF start = view_->mapRect().center();
    // Where the plane point under the cursor is expected after the drag: under the cursor.
    const QPointF grabbed = view_->toPlane(start);
    const quint64 stampBefore = view_->latestStamp();
    QSignalSpy painted(view_.get(), &LatentMapView::framePainted);

    send(view_.get(), QEvent::MouseButtonPress, start, Qt::LeftButton);
    send(view_.get(), QEvent::MouseMove, start + delta / 2, Qt::LeftButton);
    send(view_.get(), QEvent::MouseMove, start + delta, Qt::LeftButton);
    send(view_.get(), QEvent::MouseButtonRelease, start + delta, Qt::NoButton);

    const PlaneRange after = view_->range();
    const double side = view_->mapRect().width();
    if (!inverseCdf) { // linear: exactly the pixels times the units per pixel
        QVERIFY(std::abs((after.aMin - before.aMin) - (-delta.x() * (before.aMax - before.aMin) / side)) < 1e-9);
        QVERIFY(std::abs((after.bMin - before.bMin) - (delta.y() * (before.bMax - before.bMin) / side)) < 1e-9);
    }
    const QPointF underCursor = view_->toPlane(start + delta);
    QVERIFY2(std::abs(underCursor.x() - grabbed.x()) < 1e-6 && std::abs(underCursor.y() - grabbed.y()) < 1e-6,
             "the grabbed point stays under the cursor");
    QVERIFY(view_->latestStamp() > stampBefore);
    QVERIFY(waitForNewestFrame());
    QVERIFY(!painted.isEmpty());
    QCOMPARE(painted.last().at(0).toULongLong(), view_->latestStamp());
}

void TestLatentMapView::zoomKeepsPointUnderCursor_data()
{
    QTest::addColumn<QPointF>("cursor");
    QTest::addColumn<int>("delta");
    QTest::newRow("zoom in near a corner") << QPointF(120, 90) << 240;
    QTest::newRow("zoom out off-centre") << QPointF(400, 300) << -120;
}

void TestLatentMapView::zoomKeepsPointUnderCursor()
{
    QFETCH(QPointF, cursor);
    QFETCH(int, delta);
    const QPointF before = view_->toPlane(cursor);
    const double widthBefore = view_->range().aMax - view_->range().aMin;
    QWheelEvent wheel(cursor, view_->mapToGlobal(cursor), QPoint(), QPoint(0, delta), Qt::NoButton, Qt::NoModifier,
                      Qt::NoScrollPhase, false);
    QApplication::sendEvent(view_.get(), &wheel);
    const QPointF after = view_->toPlane(cursor);
    QVERIFY(std::abs(after.x() - before.x()) < 1e-9);
    QVERIFY(std::abs(after.y() - before.y()) < 1e-9);
    const double widthAfter = view_->range().aMax - view_->range().aMin;
    QVERIFY(delta > 0 ? widthAfter < widthBefore : widthAfter > widthBefore);
    QVERIFY(waitForNewestFrame());
}

void TestLatentMapView::doubleClickCentres()
{
    const QPointF target = view_->mapRect().topLeft() + QPointF(100, 150);
    const QPointF ab = view_->toPlane(target);
    QMouseEvent event(QEvent::MouseButtonDblClick, target, view_->mapToGlobal(target), Qt::LeftButton, Qt::LeftButton,
                      Qt::NoModifier);
    QApplication::sendEvent(view_.get(), &event);
    const PlaneRange r = view_->range();
    QVERIFY(std::abs(0.5 * (r.aMin + r.aMax) - ab.x()) < 1e-9);
    QVERIFY(std::abs(0.5 * (r.bMin + r.bMax) - ab.y()) < 1e-9);
}

void TestLatentMapView::keysPanAndZoom()
{
    const PlaneRange start = view_->range();
    QTest::keyClick(view_.get(), Qt::Key_Right);
    QVERIFY(view_->range().aMin > start.aMin); // the view moves right
    QTest::keyClick(view_.get(), Qt::Key_Plus);
    QVERIFY(view_->range().aMax - view_->range().aMin < start.aMax - start.aMin);
    QTest::keyClick(view_.get(), Qt::Key_Minus);
    QVERIFY(std::abs((view_->range().aMax - view_->range().aMin) - (start.aMax - start.aMin)) < 1e-9);
}

void TestLatentMapView::newestRequestWins()
{
    // Many requests in a row: whatever arrives late for an older plane is dropped, and the
    // frame that ends up painted is the newest request's.
    for (int i = 0; i < 20; ++i) {
        view_->setTiles(4 + i % 8);
        view_->panByPixels({3, 0});
    }
    const quint64 newest = view_->latestStamp();
    QVERIFY(waitForNewestFrame());
    QCOMPARE(view_->paintedStamp(), newest);
    QTest::qWait(100);
    QCOMPARE(view_->paintedStamp(), newest); // no older frame painted over it afterwards
}

void TestLatentMapView::clickPicksScatterPoint()
{
    auto codes = std::make_shared<LatentCodes>();
    codes->dim = 2;
    codes->mu = {-2, -2, 0.5f, 1.0f, 2, 2};
    codes->labels = {0, 1, 2};
    codes->classNames = {"a", "b", "c"};
    auto data = std::make_shared<Dataset>("points", ImageShape{1, 28, 28}, std::vector<std::uint8_t>(3 * 784, 128),
                                          std::vector<int>{0, 1, 2}, std::vector<std::string>{"a", "b", "c"});
    view_->setScatter(data, codes);
    QSignalSpy clicked(view_.get(), &LatentMapView::imageClicked);
    QSignalSpy hovered(view_.get(), &LatentMapView::imageHovered);
    const QPointF at = view_->toPixel({0.5, 1.0}) + QPointF(2, -1);
    send(view_.get(), QEvent::MouseMove, at, Qt::NoButton);
    QCOMPARE(hovered.size(), 1);
    QCOMPARE(hovered.first().at(0).toInt(), 1);
    send(view_.get(), QEvent::MouseButtonPress, at, Qt::LeftButton);
    send(view_.get(), QEvent::MouseButtonRelease, at, Qt::NoButton);
    QCOMPARE(clicked.size(), 1);
    QCOMPARE(clicked.first().at(0).toInt(), 1);
    // With the overlay hidden, nothing is picked.
    view_->setScatterOpacity(0);
    send(view_.get(), QEvent::MouseButtonPress, at, Qt::LeftButton);
    send(view_.get(), QEvent::MouseButtonRelease, at, Qt::NoButton);
    QCOMPARE(clicked.size(), 1);
}

void TestLatentMapView::scatterIndexPastTheDataIsIgnored_data()
{
    // Codes and images that do not match (a new data set arriving while the old one's
    // codes are shown): an index taken from the codes is checked before it reaches
    // the images, their labels or the class names.
    QTest::addColumn<int>("images");
    QTest::addColumn<QList<int>>("imageLabels");
    QTest::addColumn<QList<int>>("codeLabels");
    QTest::newRow("fewer images than codes") << 2 << QList<int>{0, 1} << QList<int>{0, 1, 2};
    QTest::newRow("fewer code labels than codes") << 3 << QList<int>{0, 1, 2} << QList<int>{0};
    QTest::newRow("labels outside the class names") << 3 << QList<int>{-5, 7, 1000000} << QList<int>{-5, 7, 1000000};
}

void TestLatentMapView::scatterIndexPastTheDataIsIgnored()
{
    QFETCH(int, images);
    QFETCH(QList<int>, imageLabels);
    QFETCH(QList<int>, codeLabels);
    auto codes = std::make_shared<LatentCodes>();
    codes->dim = 2;
    codes->mu = {-2, -2, 0.5f, 1.0f, 2, 2};
    codes->labels.assign(codeLabels.begin(), codeLabels.end());
    codes->classNames = {"a", "b"};
    auto data = std::make_shared<Dataset>("points", ImageShape{1, 28, 28},
                                          std::vector<std::uint8_t>(std::size_t(images) * 784, 128),
                                          std::vector<int>(imageLabels.begin(), imageLabels.end()),
                                          std::vector<std::string>{"a", "b"});
    view_->setScatter(data, codes);
    QSignalSpy clicked(view_.get(), &LatentMapView::imageClicked);
    for (const QPointF ab : {QPointF(2, 2), QPointF(0.5, 1.0)}) { // code 2, then code 1
        const QPointF at = view_->toPixel(ab) + QPointF(1, -1);
        send(view_.get(), QEvent::MouseMove, at, Qt::NoButton);
        view_->repaint(); // paints the hovered mark and the code labels' colours
        send(view_.get(), QEvent::MouseButtonPress, at, Qt::LeftButton);
        send(view_.get(), QEvent::MouseButtonRelease, at, Qt::NoButton);
    }
    // Only points that are images too are clicked.
    QList<int> indices;
    for (const QList<QVariant>& args : clicked)
        indices << args.at(0).toInt();
    QCOMPARE(indices, (images == 2 ? QList<int>{1} : QList<int>{2, 1}));
}

void TestLatentMapView::conditionalModelDecodesChosenClass()
{
    ModelConfig c;
    c.latentDim = 2;
    c.hidden = {64};
    c.conditionClasses = 4;
    const auto model = std::make_shared<const Model>(c, 5);
    view_->setModel(model);
    QImage previous;
    for (const int k : {0, 3, 1}) {
        view_->setConditionClass(k);
        QVERIFY(waitForNewestFrame());
        QCOMPARE(view_->conditionClass(), k);
        const ViewMapping mapping(view_->range(), view_->spacing(), 1, 1);
        const QImage expected = ImageConversion::toQImage(
            LatentGrid::render(*model, view_->plane(), mapping, view_->tiles(), view_->tiles(), 0, k));
        QCOMPARE(view_->frame().convertToFormat(QImage::Format_RGB32), expected.convertToFormat(QImage::Format_RGB32));
        QVERIFY(view_->frame() != previous); // the class changes what is drawn
        previous = view_->frame();
    }
}

// What the overlay can be coloured by, and the colours: a ramp over a factor's range, a wheel
// for an angle (the same colour a full turn later), two colours for an attribute.
void TestLatentMapView::colouringByFactorOrAttribute()
{
    Dataset data("cards-like", ImageShape{1, 1, 1}, std::vector<std::uint8_t>(3, 0), {0, 1, 2}, {"a", "b", "c"});
    data.setFactors({"angle", "shear"}, {-120, 0, 0, 5, 120, 10});
    data.setAttributes({"Odd"}, {-1, 1, -1});
    QCOMPARE(ScatterColouring::choices(data), (QStringList{"Label", "angle", "shear", "Odd"}));

    const ScatterColouring shear(data, "shear");
    QCOMPARE(shear.kind(), ScatterColouring::Kind::Continuous);
    QCOMPARE(shear.minimum(), 0.0);
    QCOMPARE(shear.maximum(), 10.0);
    QCOMPARE(shear.colour(0, 0), ScatterColouring::ramp(0));
    QCOMPARE(shear.colour(2, 2), ScatterColouring::ramp(1));
    QVERIFY(ScatterColouring::ramp(0) != ScatterColouring::ramp(1));
    QCOMPARE(shear.colour(7, 0), QColor(160, 160, 160)); // past the data

    const ScatterColouring angle(data, "angle");
    QCOMPARE(angle.kind(), ScatterColouring::Kind::Angle);
    QCOMPARE(angle.colour(0, 0), ScatterColouring::wheel(240)); // -120 is 240
    QCOMPARE(ScatterColouring::wheel(10), ScatterColouring::wheel(370));

    const ScatterColouring odd(data, "Odd");
    QCOMPARE(odd.kind(), ScatterColouring::Kind::Binary);
    QCOMPARE(odd.colour(1, 1), ScatterColouring::binaryColour(true));
    QCOMPARE(odd.colour(0, 0), ScatterColouring::binaryColour(false));

    // Anything else colours by label.
    const ScatterColouring unknown(data, "no such factor");
    QCOMPARE(unknown.kind(), ScatterColouring::Kind::Classes);
    QCOMPARE(unknown.name(), QString("Label"));
    QCOMPARE(unknown.colour(1, 2), ClassPalette::colour(2));
}

QTEST_MAIN(TestLatentMapView)
#include "test_latentmapview.moc"
