using System.ComponentModel.DataAnnotations;
using Keel.Validation;

namespace Keel.Tests.Validation;

public class ObjectValidatorTests
{
    private static readonly ObjectValidator<LineItem> s_item = ObjectValidator.Create<LineItem>(static o => o
        .Property("Sku", static i => i.Sku, new RequiredAttribute(), new StringLengthAttribute(8) { MinimumLength = 3 })
        .Property("Price", static i => i.Price, new RangeAttribute(0.0, 10_000.0)));

    private static readonly ObjectValidator<Address> s_address = ObjectValidator.Create<Address>(static o => o
        .Property("Country", static a => a.Country, new RequiredAttribute(), new StringLengthAttribute(2) { MinimumLength = 2 }));

    private static readonly ObjectValidator<Transaction> s_transaction = ObjectValidator.Create<Transaction>(static o => o
        .Property("Amount", static t => t.Amount, new RangeAttribute(0, 1))
        .Property("Merchant", static t => t.Merchant, new RequiredAttribute(), new StringLengthAttribute(16))
        .Property("Tags", static t => t.Tags, new MaxLengthAttribute(2))
        .Property("Email", static t => t.Email, new EmailAddressAttribute())
        .Object("Address", static t => t.Address, s_address, required: true)
        .Each("Items", static t => t.Items, s_item));

    [Fact]
    public void Validate_ValidObject_NoViolations()
    {
        Assert.Empty(s_transaction.Validate(Valid(), "transaction"));
    }

    [Fact]
    public void Validate_AmountOutOfRange_NamesPathValueAndRange()
    {
        var violation = Assert.Single(s_transaction.Validate(Valid() with { Amount = 500 }, "transaction"));

        Assert.Equal("transaction.Amount: 500 is outside [0, 1]", violation.Message);
        Assert.Equal(("transaction.Amount", "range", "a value within [0, 1]", "500"), (violation.Parameter, violation.Rule, violation.Expected, violation.Actual));
    }

    [Fact]
    public void Validate_EveryKindBroken_ListsEveryViolationWithItsPath()
    {
        var transaction = new Transaction(
            Amount: -1,
            Merchant: " ",
            Tags: ["a", "b", "c"],
            Email: "not-an-email",
            Address: new Address(Country: "Germany"),
            Items: [new LineItem("ABC", 1), new LineItem("X", 1), new LineItem(null, -5)]);

        var messages = s_transaction.Validate(transaction, "transaction").Select(static v => v.Message);

        Assert.Equal(
            [
                "transaction.Amount: -1 is outside [0, 1]",
                "transaction.Merchant: expected a value, got an empty string",
                "transaction.Tags: length 3 is not between 0 and 2",
                "transaction.Email: The transaction.Email field is not a valid e-mail address.",
                "transaction.Address.Country: length 7 is not between 2 and 2",
                "transaction.Items[1].Sku: length 1 is not between 3 and 8",
                "transaction.Items[2].Sku: expected a value, got null",
                "transaction.Items[2].Price: -5 is outside [0, 10000]",
            ],
            messages);
    }

    [Fact]
    public void Validate_RequiredNestedObjectMissing_ReportsIt()
    {
        var violation = Assert.Single(s_transaction.Validate(Valid() with { Address = null }, "transaction"));

        Assert.Equal("transaction.Address: expected a value, got null", violation.Message);
    }

    [Fact]
    public void Validate_NullRoot_ReportsIt()
    {
        Assert.Equal("transaction: expected a value, got null", Assert.Single(s_transaction.Validate(null!, "transaction")).Message);
    }

    [Fact]
    public async Task UseValidation_ObjectRules_RejectBeforeTheModelWithOneException()
    {
        var calls = 0;
        var pipeline = InferencePipeline.For<Transaction, float>("fraud", "3.2.0")
            .UseValidateInput("transaction", static v => v.Object(s_transaction))
            .Build((t, _) =>
            {
                calls++;
                return t.Amount;
            });

        Assert.Equal(0.5f, await pipeline.ExecuteAsync(Valid()));
        var exception = await Assert.ThrowsAsync<InputValidationException>(() => pipeline.ExecuteAsync(Valid() with { Amount = 500, Merchant = null! }).AsTask());

        Assert.Equal(
            "The input is invalid (2 violations): transaction.Amount: 500 is outside [0, 1]; transaction.Merchant: expected a value, got null",
            exception.Message);
        Assert.Equal(1, calls);
    }

    [Fact]
    public void Create_NullArguments_ThrowNamingTheParameter()
    {
        Assert.Equal("configure", Assert.Throws<ArgumentNullException>(() => ObjectValidator.Create<Transaction>(null!)).ParamName);
        Assert.Equal("getter", Assert.Throws<ArgumentNullException>(() => ObjectValidator.Create<Transaction>(static o => o.Property<float>("Amount", null!))).ParamName);
        Assert.StartsWith(
            "Attributes of property 'Amount' must not be null, but the one at index 0 was.",
            Assert.Throws<ArgumentException>(() => ObjectValidator.Create<Transaction>(static o => o.Property("Amount", static t => t.Amount, [null!]))).Message,
            StringComparison.Ordinal);
        Assert.Equal("path", Assert.Throws<ArgumentException>(() => s_transaction.Validate(Valid(), " ")).ParamName);
    }

    private static Transaction Valid() => new(0.5f, "shop", ["a"], "a@example.com", new Address("DE"), [new LineItem("ABC", 12.5)]);

    public sealed record Transaction(float Amount, string Merchant, string[] Tags, string? Email, Address? Address, List<LineItem>? Items);

    public sealed record Address(string Country);

    public sealed record LineItem(string? Sku, double Price);
}
