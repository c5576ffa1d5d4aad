#include <QtTest>

#include "core/base/Error.h"
#include "core/latent/AttributeMath.h"

using namespace latentlab;

// A model's list of attribute vectors: storing one by name (add or replace), as
// `latentlab-cli attribute` does.
class TestAttributeVectors : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void addOrReplace_data();
    void addOrReplace();
    void rejectsNoName();
};

void TestAttributeVectors::addOrReplace_data()
{
    QTest::addColumn<QStringList>("before");
    QTest::addColumn<QString>("name");
    QTest::addColumn<QStringList>("after");
    QTest::newRow("into an empty list") << QStringList{} << "smile" << QStringList{"smile"};
    QTest::newRow("a new name goes last") << QStringList{"smile", "hat"} << "beard" << QStringList{"smile", "hat", "beard"};
    QTest::newRow("replaces, newest last") << QStringList{"smile", "hat"} << "smile" << QStringList{"hat", "smile"};
    QTest::newRow("the last one in place") << QStringList{"smile", "hat"} << "hat" << QStringList{"smile", "hat"};
    QTest::newRow("a name held twice once") << QStringList{"hat", "smile", "hat"} << "hat" << QStringList{"smile", "hat"};
    QTest::newRow("names are case-sensitive") << QStringList{"Smile"} << "smile" << QStringList{"Smile", "smile"};
}

void TestAttributeVectors::addOrReplace()
{
    QFETCH(QStringList, before);
    QFETCH(QString, name);
    QFETCH(QStringList, after);
    std::vector<AttributeVector> vectors;
    for (const QString& n : before)
        vectors.push_back({n.toStdString(), {0.0f, 0.0f}});
    AttributeMath::addOrReplace(vectors, {name.toStdString(), {1.0f, 2.0f}});
    QStringList names;
    for (const AttributeVector& v : vectors) {
        names << QString::fromStdString(v.name);
        // Only the stored vector holds the new direction; the others keep theirs.
        const bool isNew = v.name == name.toStdString();
        const std::vector<float> expected = isNew ? std::vector<float>{1.0f, 2.0f} : std::vector<float>{0.0f, 0.0f};
        QVERIFY(v.direction == expected);
    }
    QCOMPARE(names, after);
}

void TestAttributeVectors::rejectsNoName()
{
    std::vector<AttributeVector> vectors;
    QVERIFY_THROWS_EXCEPTION(Error, AttributeMath::addOrReplace(vectors, {"", {1.0f}}));
    QVERIFY(vectors.empty());
}

QTEST_APPLESS_MAIN(TestAttributeVectors)
#include "test_attributevectors.moc"
